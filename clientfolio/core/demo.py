"""Demo users: the logins ``clientfolio demo`` prints."""

from datetime import date

from clientfolio.core.models import Role, User

__all__ = ["DEMO_USERS", "load"]

# (username, password, role, first name, last name, e-mail, language)
DEMO_USERS = [
    ("admin", "clientfolio-admin", Role.ADMIN, "Admin", "", "admin@example.com", ""),
    (
        "li.na",
        "clientfolio-demo",
        Role.STAFF,
        "娜",
        "李",
        "li.na@example.com",
        "zh-hans",
    ),
    (
        "zhang.wei",
        "clientfolio-demo",
        Role.STAFF,
        "伟",
        "张",
        "zhang.wei@example.com",
        "zh-hans",
    ),
    (
        "emma.hall",
        "clientfolio-demo",
        Role.STAFF,
        "Emma",
        "Hall",
        "emma.hall@example.com",
        "en",
    ),
    (
        "chen.jie",
        "clientfolio-demo",
        Role.STAFF,
        "杰",
        "陈",
        "chen.jie@example.com",
        "zh-hans",
    ),
    (
        "client.demo",
        "clientfolio-demo",
        Role.CLIENT,
        "敏",
        "王",
        "wang.min@example.cn",
        "",
    ),
]


def load(today: date) -> dict[str, int]:
    """Create (or reset) the demo users. Returns how many there are."""
    for username, password, role, first, last, email, language in DEMO_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role, user.first_name, user.last_name = role, first, last
        user.email, user.language = email, language
        user.is_superuser = role == Role.ADMIN
        user.phone = "" if role == Role.CLIENT else f"1390000{len(username):04d}"
        user.set_password(password)
        user.save()
    return {"users": len(DEMO_USERS)}
