"""The scale data set of DESIGN.md for benchmarks (``clientfolio seed-scale``).

Deterministic for a given seed and ``today``: 100,000 clients (about seven in ten Chinese,
the rest English-named), 300,000 contacts, about twenty account managers, a few dozen tags,
and some 50,000 contracts with payments spread over two years so that computed tiers vary.

Rows are written with ``bulk_create`` in batches, one transaction per batch, with the derived
``search_text`` and ``name_sort`` columns computed in Python by the same functions the services
use. ``bulk_create`` bypasses django-simple-history, so scale data has **no history rows**; the
detail page's history panel is simply empty for these clients. ``created_at`` and
``updated_at`` are spread over the past three years instead of all being "now".
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from pypinyin import lazy_pinyin

from clientfolio.clients import services
from clientfolio.clients.models import Client, Contact, Contract, Payment
from clientfolio.core.models import Role, Tag, User

__all__ = ["SCALE_PASSWORD", "ScaleCounts", "seed"]

SCALE_PASSWORD = "clientfolio-scale"

CITIES = (
    "上海 北京 深圳 广州 杭州 南京 苏州 成都 重庆 武汉 西安 天津 青岛 厦门 宁波 合肥 长沙 "
    "郑州 济南 福州 昆明 大连 沈阳 哈尔滨 长春 石家庄 太原 南昌 南宁 贵阳 兰州 无锡 常州 "
    "佛山 东莞 珠海 温州 绍兴 嘉兴 烟台"
).split()
BRAND_CHARS = (
    "云帆智联华创天宇博瑞恒信鼎盛金泰汇通宏达新锐星海远航中科正源明德嘉禾"
    "同方永安立信东方卓越启明万象富康安泰长城弘毅润泽海纳百川英华鸿图"
)
INDUSTRY_WORDS = {
    "software": ["信息科技", "软件", "网络科技", "数据服务", "云计算"],
    "manufacturing": ["智能制造", "精密机械", "电子", "汽车零部件", "新材料"],
    "finance": ["投资管理", "保险经纪", "融资租赁", "金融服务"],
    "retail": ["电子商务", "零售连锁", "商贸", "食品"],
    "healthcare": ["医疗器械", "生物医药", "健康管理", "医药"],
    "education": ["教育科技", "培训", "文化教育"],
    "government": ["政务服务中心", "城市管理局", "公共资源交易中心"],
    "energy": ["新能源", "水务", "电力工程", "燃气"],
    "construction": ["建设工程", "置业", "建筑设计院", "工程咨询"],
    "logistics": ["物流", "供应链管理", "国际货运", "快运"],
    "media": ["文化传媒", "广告", "影视", "数字娱乐"],
    "telecom": ["通信技术", "通信工程", "网络通信"],
    "other": ["咨询", "实业", "企业管理"],
}
CN_SUFFIXES = ["有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司"]
CN_FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
CN_GIVEN = (
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 桂英 建华 海燕 "
    "晓东 志强 丽娟 文博 子涵 雨欣 浩然 思远 佳怡 俊杰 欣怡 宇航 梓萱 国庆 建国 红梅 "
    "春生 海波 一鸣 晨曦 嘉伟 婷婷 鹏 斌 辉 鑫 琳 颖 倩 磊磊 玉兰 志明 振华"
).split()
CN_TITLES = [
    "总经理",
    "副总经理",
    "信息部经理",
    "采购主管",
    "技术总监",
    "项目经理",
    "财务经理",
    "运营总监",
    "行政主管",
    "董事长助理",
]
EN_ADJECTIVES = (
    "Blue Northern Silver Golden Bright Summit Pacific Atlantic Evergreen Redwood Granite "
    "Harbor Crescent Pioneer Sterling Vertex Horizon Cedar Maple Falcon Orion Apex Quantum "
    "Liberty Highland Riverside Oak Coastal Union Prime"
).split()
EN_NOUNS = {
    "software": ["Software", "Systems", "Digital", "Data", "Cloud"],
    "manufacturing": ["Industries", "Manufacturing", "Components", "Machinery"],
    "finance": ["Capital", "Financial", "Insurance", "Partners"],
    "retail": ["Trading", "Retail", "Goods", "Foods"],
    "healthcare": ["Health", "Medical", "Pharma", "Biotech"],
    "education": ["Learning", "Academy", "Education"],
    "government": ["County Council", "Public Works", "City Services"],
    "energy": ["Energy", "Power", "Utilities", "Solar"],
    "construction": ["Construction", "Builders", "Properties", "Engineering"],
    "logistics": ["Logistics", "Freight", "Shipping", "Transport"],
    "media": ["Media", "Studios", "Publishing", "Entertainment"],
    "telecom": ["Telecom", "Networks", "Communications"],
    "other": ["Group", "Holdings", "Consulting", "Ventures"],
}
EN_SUFFIXES = ["Ltd.", "Inc.", "LLC", "GmbH", "Pte. Ltd.", "Co.", "plc", ""]
EN_FIRST = (
    "James Mary Robert Patricia Michael Linda David Sarah Daniel Laura Thomas Anna John "
    "Emily William Olivia Richard Sophia Joseph Emma Charles Grace Peter Chloe Mark Lucy "
    "George Hannah Paul Isabel Kevin Megan Brian Rachel Steven Nicole Andrew Julia"
).split()
EN_LAST = (
    "Smith Johnson Brown Taylor Müller Wilson Moore Clark Lewis Walker Hall Allen Young King "
    "Wright Scott Green Baker Adams Nelson Carter Mitchell Roberts Turner Phillips Campbell "
    "Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Bennett O'Brien Schmidt"
).split()
EN_TITLES = [
    "CEO",
    "IT Manager",
    "Procurement Lead",
    "CTO",
    "Project Manager",
    "Finance Director",
    "COO",
    "Operations Manager",
    "Head of Digital",
]
EN_CITIES = [
    "London",
    "New York, NY",
    "Singapore",
    "Hong Kong",
    "Sydney",
    "Toronto",
    "Berlin",
    "Munich",
    "Paris",
    "Auckland",
    "Boston, MA",
    "Houston, TX",
    "Zürich",
    "Tokyo",
]
EN_STREETS = ["King St", "Queen St", "Harbour Rd", "Main St", "Park Ave", "High St"]
CN_ROADS = ["中山路", "人民路", "解放路", "建设大道", "科技路", "高新大道", "长江路"]
TAGS = [
    "重点客户",
    "政府项目",
    "长期合作",
    "华东",
    "华南",
    "华北",
    "华中",
    "西南",
    "东北",
    "Overseas",
    "SaaS",
    "ERP",
    "CRM",
    "Data platform",
    "AI",
    "IoT",
    "信创",
    "等保",
    "续约中",
    "待回访",
    "战略合作",
    "招投标",
    "渠道",
    "VIP",
    "Key account",
    "Pilot",
]
# (username, first name, last name, language)
STAFF = [
    ("wang.fang", "芳", "王", "zh-hans"),
    ("li.qiang", "强", "李", "zh-hans"),
    ("zhang.min", "敏", "张", "zh-hans"),
    ("liu.yang", "洋", "刘", "zh-hans"),
    ("chen.jing", "静", "陈", "zh-hans"),
    ("yang.lei", "磊", "杨", "zh-hans"),
    ("huang.li", "丽", "黄", "zh-hans"),
    ("zhao.jun", "军", "赵", "zh-hans"),
    ("wu.tao", "涛", "吴", "zh-hans"),
    ("zhou.yan", "艳", "周", "zh-hans"),
    ("xu.jie", "杰", "徐", "zh-hans"),
    ("sun.juan", "娟", "孙", "zh-hans"),
    ("ma.chao", "超", "马", "zh-hans"),
    ("zhu.ming", "明", "朱", "zh-hans"),
    ("hu.xia", "霞", "胡", "zh-hans"),
    ("guo.gang", "刚", "郭", "zh-hans"),
    ("emma.hall", "Emma", "Hall", "en"),
    ("james.carter", "James", "Carter", "en"),
    ("sophia.young", "Sophia", "Young", "en"),
    ("daniel.evans", "Daniel", "Evans", "en"),
]
STATUSES = [
    Client.Status.ACTIVE,
    Client.Status.PROSPECT,
    Client.Status.DORMANT,
    Client.Status.LOST,
]
STATUS_WEIGHTS = [45, 30, 15, 10]
CN_CONTRACT_TITLES = [
    "实施服务合同",
    "软件许可与维护",
    "咨询服务协议",
    "系统集成项目合同",
]
EN_CONTRACT_TITLES = [
    "Implementation services",
    "Support agreement",
    "Consulting SOW",
    "Licence and maintenance",
]


@dataclass
class ScaleCounts:
    users: int = 0
    clients: int = 0
    contacts: int = 0
    tags: int = 0
    contracts: int = 0
    payments: int = 0
    tiers_changed: int = 0


def _pinyin(text: str) -> str:
    return "".join(lazy_pinyin(text))


@contextmanager
def _explicit_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the given created_at/updated_at instead of stamping "now"."""
    saved = []
    for model in model_classes:
        for name in ("created_at", "updated_at"):
            field = model._meta.get_field(name)
            saved.append((field, field.auto_now, field.auto_now_add))  # type: ignore[union-attr]
            field.auto_now = field.auto_now_add = False  # type: ignore[union-attr]
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add  # type: ignore[union-attr]


class _Generator:
    """Draws clients, contacts, contracts and payments from one random stream."""

    def __init__(self, rng: random.Random, today: date, start_index: int) -> None:
        self.rng = rng
        self.today = today
        self.index = start_index
        self.brand_pinyin = {ch: _pinyin(ch) for ch in BRAND_CHARS}
        self.family_pinyin = {ch: _pinyin(ch) for ch in CN_FAMILY}
        self.given_pinyin = {g: _pinyin(g) for g in CN_GIVEN}
        self.now = datetime.combine(today, time(18, 0), tzinfo=UTC)

    def _stamp(self) -> tuple[datetime, datetime]:
        rng = self.rng
        created = self.now - timedelta(seconds=rng.randrange(3 * 365 * 86400))
        age = int((self.now - created).total_seconds())
        updated = created + timedelta(seconds=int(age * rng.random() ** 2))
        return created, updated

    def _cn_mobile(self) -> tuple[str, str]:
        rng = self.rng
        digits = f"1{rng.choice('3456789')}{rng.randrange(10**8, 10**9)}"
        style = rng.random()
        if style < 0.6:
            return digits, digits
        if style < 0.85:
            return f"{digits[:3]} {digits[3:7]} {digits[7:]}", digits
        return f"+86 {digits}", digits

    def _cn_landline(self) -> str:
        area = self.rng.choice(["010", "021", "020", "0755", "0571", "025", "028"])
        return f"{area}-{self.rng.randrange(2000_0000, 8999_9999)}"

    def client(self) -> tuple[Client, list[Contact], list[int], bool]:
        """One client with its contacts and tag indexes (not saved)."""
        rng = self.rng
        self.index += 1
        i = self.index
        chinese = rng.random() < 0.7
        industry = rng.choice(Client.Industry.values)
        individual = rng.random() < 0.04
        status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
        if chinese:
            brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
            city = rng.choice(CITIES)
            if individual:
                name = rng.choice(CN_FAMILY) + rng.choice(CN_GIVEN)
            else:
                name = (
                    f"{city}{brand}{rng.choice(INDUSTRY_WORDS[industry])}"
                    f"{'' if industry == 'government' else rng.choice(CN_SUFFIXES)}"
                )
            domain = "".join(self.brand_pinyin[ch] for ch in brand) + f"{i}.com.cn"
            address = (
                f"{city}市{rng.choice(CN_ROADS)}{rng.randint(1, 999)}号"
                if rng.random() < 0.8
                else ""
            )
        else:
            if individual:
                name = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"
            else:
                name = " ".join(
                    p
                    for p in (
                        rng.choice(EN_ADJECTIVES),
                        rng.choice(EN_NOUNS[industry]),
                        rng.choice(EN_SUFFIXES),
                    )
                    if p
                )
            domain = name.split()[0].lower() + f"{i}.com"
            address = (
                f"{rng.randint(1, 400)} {rng.choice(EN_STREETS)}, {rng.choice(EN_CITIES)}"
                if rng.random() < 0.7
                else ""
            )
        if individual:
            domain = rng.choice(
                ["qq.com", "163.com", "126.com"]
                if chinese
                else ["gmail.com", "outlook.com"]
            )
        created, updated = self._stamp()
        client = Client(
            kind=Client.Kind.INDIVIDUAL if individual else Client.Kind.COMPANY,
            name=name,
            industry=industry if rng.random() < 0.9 else "",
            source=rng.choice(Client.Source.values) if rng.random() < 0.8 else "",
            status=status,
            address=address,
            website="" if individual or rng.random() < 0.3 else f"https://www.{domain}",
            notes=""
            if rng.random() < 0.85
            else rng.choice(
                ["年度框架合作客户。", "Framework agreement.", "需关注回款进度。"]
            ),
            tier_override="" if rng.random() < 0.98 else rng.choice("ABC"),
            created_at=created,
            updated_at=updated,
        )
        contacts = []
        for n in range(3):
            if chinese:
                family, given = rng.choice(CN_FAMILY), rng.choice(CN_GIVEN)
                person = family + given
                title = rng.choice(CN_TITLES)
                phone, _digits = (
                    self._cn_mobile()
                    if rng.random() < 0.85
                    else (self._cn_landline(), "")
                )
                handle = f"{self.given_pinyin[given]}.{self.family_pinyin[family]}"
                wechat = (
                    f"wx_{self.family_pinyin[family]}{i}{n}"
                    if rng.random() < 0.6
                    else ""
                )
            else:
                first, last = rng.choice(EN_FIRST), rng.choice(EN_LAST)
                person, title = f"{first} {last}", rng.choice(EN_TITLES)
                phone = f"+1 {rng.randint(201, 989)} {rng.randint(200, 999)} {rng.randint(1000, 9999)}"
                handle = f"{first}.{last}".lower().replace("'", "").replace("ü", "u")
                wechat = ""
            email = f"{handle}{n}@{domain}" if rng.random() < 0.9 else ""
            contacts.append(
                Contact(
                    name=person,
                    title=title if rng.random() < 0.9 else "",
                    phone=phone if rng.random() < 0.95 else "",
                    email=email,
                    wechat=wechat,
                    is_primary=n == 0,
                    created_at=created,
                    updated_at=updated,
                )
            )
        if individual:  # the person is their own first contact
            contacts[0].name, contacts[0].title = name, ""
        client.search_text = services.search_text(
            name, [(c.name, c.phone, c.email) for c in contacts]
        )
        client.name_sort = services.sort_key(name)
        tags = rng.sample(range(len(TAGS)), rng.choice([0, 0, 1, 1, 1, 2, 3]))
        return client, contacts, tags, chinese

    def contracts(
        self, client: Client, chinese: bool
    ) -> list[tuple[Contract, list[Payment]]]:
        rng = self.rng
        result = []
        for c in range(rng.choice([1, 1, 1, 2, 2, 3])):
            signed = self.today - timedelta(days=rng.randint(10, 730))
            # Mostly small contracts, a long tail of large ones: tiers A, B and C all occur.
            amount = Decimal(int(rng.lognormvariate(12.2, 1.0)) // 1000 * 1000 + 5000)
            status = (
                Contract.Status.ACTIVE
                if client.status == Client.Status.ACTIVE
                else Contract.Status.COMPLETED
            )
            contract = Contract(
                client=client,
                number=f"SC-{signed.year}-{client.pk:07d}-{c}",
                title=rng.choice(CN_CONTRACT_TITLES if chinese else EN_CONTRACT_TITLES),
                amount=amount,
                currency="CNY" if chinese or rng.random() < 0.5 else "USD",
                signed_on=signed,
                starts_on=signed + timedelta(days=7),
                ends_on=signed + timedelta(days=rng.randint(90, 720)),
                status=status,
                created_at=client.created_at,
                updated_at=client.updated_at,
            )
            payments = []
            paid = Decimal(0)
            for p in range(rng.choice([0, 1, 1, 2, 2, 3])):
                part = (amount * Decimal(rng.choice([20, 30, 40])) / 100).quantize(
                    Decimal("1")
                )
                received = signed + timedelta(days=30 + 90 * p)
                if paid + part > amount or received > self.today:
                    break
                paid += part
                payments.append(
                    Payment(
                        contract=contract,
                        received_on=received,
                        amount=part,
                        method=rng.choice(Payment.Method.values),
                        reference=f"BK{received:%Y%m%d}{client.pk:07d}{c}{p}",
                        created_at=client.created_at,
                        updated_at=client.updated_at,
                    )
                )
            result.append((contract, payments))
        return result


def _ensure_staff(password_hash: str) -> tuple[list[User], int]:
    users, created = [], 0
    for username, first, last, language in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.com",
                language=language,
                role=Role.STAFF,
                password=password_hash,
            )
            created += 1
        users.append(user)
    return users, created


def seed(
    *,
    clients: int = 100_000,
    contacts_per_client: int = 3,
    contracts: int = 50_000,
    batch: int = 5000,
    seed: int = 20260101,
    today: date,
    progress: Callable[[int], Callable[[int], object]] | None = None,
) -> ScaleCounts:
    """Write the scale data set. ``progress(total)`` returns a callable told each batch size."""
    rng = random.Random(seed)
    counts = ScaleCounts()
    staff, counts.users = _ensure_staff(make_password(SCALE_PASSWORD))
    Tag.objects.bulk_create([Tag(name=t) for t in TAGS], ignore_conflicts=True)
    tag_ids = dict(Tag.objects.filter(name__in=TAGS).values_list("name", "id"))
    tag_pks = [tag_ids[t] for t in TAGS]
    counts.tags = len(TAGS)
    en_staff = [u for u in staff if u.language == "en"]
    through = Client.tags.through
    generator = _Generator(rng, today, Client.objects.count())
    # Which clients get contracts: about ``contracts`` contracts in all (1.67 per client).
    contract_share = min(1.0, contracts / 1.67 / max(clients, 1))
    tick = progress(clients) if progress else None
    done = 0
    with _explicit_timestamps(Client, Contact, Contract, Payment):
        while done < clients:
            size = min(batch, clients - done)
            rows = [generator.client() for _ in range(size)]
            for client, _contacts, _tags, chinese in rows:
                client.owner = rng.choice(staff if chinese else en_staff + staff[:4])
            with transaction.atomic():
                Client.objects.bulk_create([r[0] for r in rows], batch_size=1000)
                contact_rows: list[Contact] = []
                links: list[Any] = []  # the tags through model
                deals: list[tuple[Contract, list[Payment]]] = []
                for client, client_contacts, tags, chinese in rows:
                    for contact in client_contacts[:contacts_per_client]:
                        contact.client = client
                        contact_rows.append(contact)
                    links.extend(
                        through(client_id=client.pk, tag_id=tag_pks[t]) for t in tags
                    )
                    if client.status != Client.Status.PROSPECT and (
                        rng.random() < contract_share / 0.7
                    ):
                        deals.extend(generator.contracts(client, chinese))
                Contact.objects.bulk_create(contact_rows, batch_size=1000)
                through.objects.bulk_create(links, batch_size=1000)
                Contract.objects.bulk_create([d[0] for d in deals], batch_size=1000)
                payments = []
                for contract, contract_payments in deals:
                    for payment in contract_payments:
                        payment.contract = contract
                        payments.append(payment)
                Payment.objects.bulk_create(payments, batch_size=1000)
            counts.clients += size
            counts.contacts += len(contact_rows)
            counts.contracts += len(deals)
            counts.payments += len(payments)
            done += size
            if tick:
                tick(size)
    counts.tiers_changed = services.recompute_tiers(today=today)
    return counts


def seed_from_options(options: dict[str, Any]) -> str:
    """The client-library part of ``clientfolio seed-scale``; returns a summary line."""
    from tqdm import tqdm

    bars = []

    def progress(total: int) -> Callable[[int], object]:
        bar = tqdm(total=total, unit="client", disable=options.get("verbosity", 1) == 0)
        bars.append(bar)
        return bar.update

    contracts = options.get("contracts")
    try:
        counts = seed(
            clients=options["clients"],
            contacts_per_client=options["contacts_per_client"],
            contracts=contracts if contracts is not None else options["clients"] // 2,
            batch=options["batch"],
            seed=options["seed"],
            today=options["today"],
            progress=progress,
        )
    finally:
        for bar in bars:
            bar.close()
    return (
        f"Seeded {counts.clients} clients, {counts.contacts} contacts, "
        f"{counts.contracts} contracts, {counts.payments} payments, {counts.tags} tags, "
        f"{counts.users} new staff users ({counts.tiers_changed} tiers changed)."
    )
