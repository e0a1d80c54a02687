"""Deterministic, realistic bilingual demo data for the client library."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from clientfolio.clients import services
from clientfolio.clients.models import (
    Client,
    Contact,
    Contract,
    Feedback,
    FollowUp,
    Payment,
    Requirement,
)
from clientfolio.core.models import User

DEMO_STAFF = ("li.na", "zhang.wei", "emma.hall")

__all__ = ["load"]

COMPANIES = [
    ("上海云帆信息科技有限公司", "software", "上海市浦东新区张江高科技园区碧波路690号"),
    ("北京智联数据服务有限公司", "software", "北京市海淀区中关村大街27号"),
    (
        "深圳华创智能制造股份有限公司",
        "manufacturing",
        "深圳市南山区科技园南区高新南七道",
    ),
    ("杭州西湖电子商务有限公司", "retail", "杭州市西湖区文三路478号"),
    ("广州南方医疗器械有限公司", "healthcare", "广州市天河区珠江新城华夏路10号"),
    ("成都天府软件园有限公司", "software", "成都市高新区天府大道中段1268号"),
    ("苏州工业园区精密机械有限公司", "manufacturing", "苏州市工业园区星湖街328号"),
    ("南京金陵银行股份有限公司", "finance", "南京市鼓楼区中山北路2号"),
    ("武汉长江物流集团", "logistics", "武汉市江汉区建设大道568号"),
    ("西安古城文化传媒有限公司", "media", "西安市雁塔区高新路52号"),
    ("重庆山城建设工程有限公司", "construction", "重庆市渝中区解放碑民权路28号"),
    ("天津滨海新能源有限公司", "energy", "天津市滨海新区第三大街51号"),
    ("青岛海洋通信技术有限公司", "telecom", "青岛市崂山区海尔路178号"),
    ("厦门鹭岛教育科技有限公司", "education", "厦门市思明区软件园二期观日路"),
    ("宁波港城零售连锁有限公司", "retail", "宁波市鄞州区天童南路588号"),
    ("合肥科大讯达智能有限公司", "software", "合肥市高新区望江西路666号"),
    ("长沙湘江保险经纪有限公司", "finance", "长沙市岳麓区麓谷大道658号"),
    ("郑州中原粮油集团", "manufacturing", "郑州市金水区花园路39号"),
    ("昆明春城旅游发展有限公司", "media", "昆明市五华区东风西路11号"),
    ("大连星海船舶设计院", "construction", "大连市沙河口区中山路572号"),
    ("济南泉城政务服务中心", "government", "济南市历下区龙奥北路8号"),
    ("福州闽江水务有限公司", "energy", "福州市鼓楼区五四路158号"),
]
ENGLISH_COMPANIES = [
    ("Northwind Traders Ltd.", "retail", "12 Harbour Road, Wan Chai, Hong Kong"),
    ("Contoso Pharmaceuticals", "healthcare", "200 Boylston St, Boston, MA"),
    ("Fabrikam Industrial GmbH", "manufacturing", "Industriestraße 5, 70565 Stuttgart"),
    ("Tailspin Logistics Pte. Ltd.", "logistics", "1 Changi Business Park, Singapore"),
    ("Adventure Works Education", "education", "45 King William St, London"),
    ("Litware Financial Services", "finance", "88 Queen Street, Auckland"),
    ("Proseware Media Group", "media", "1500 Broadway, New York, NY"),
    ("Wide World Energy Inc.", "energy", "700 Louisiana St, Houston, TX"),
    ("Alpine Ski House", "retail", "Bahnhofstrasse 10, 8001 Zürich"),
    ("Blue Yonder Airlines", "logistics", "3 Rue de la Paix, 75002 Paris"),
]
INDIVIDUALS = [
    ("陈晓明", "education", "上海市徐汇区漕溪北路88号"),
    ("Olivia Martin", "media", ""),
]

CN_FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
CN_GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "海燕",
]
EN_FIRST = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "Michael",
    "Linda",
    "David",
    "Sarah",
    "Daniel",
    "Laura",
    "Thomas",
    "Anna",
]
EN_LAST = [
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Müller",
    "Wilson",
    "Moore",
    "Clark",
    "Lewis",
    "Walker",
]
CN_TITLES = [
    "总经理",
    "信息部经理",
    "采购主管",
    "技术总监",
    "项目经理",
    "财务经理",
    "运营总监",
    "副总裁",
]
EN_TITLES = [
    "CEO",
    "IT Manager",
    "Procurement Lead",
    "CTO",
    "Project Manager",
    "Finance Director",
    "COO",
]
TAGS = [
    "重点客户",
    "政府项目",
    "长期合作",
    "华东",
    "华南",
    "华北",
    "Overseas",
    "SaaS",
    "ERP",
    "Data platform",
]
NEEDS_CN = [
    ("建设统一的客户数据平台", "整合现有CRM、ERP数据，实现客户360度视图。"),
    ("移动端审批流程", "希望在企业微信中完成合同与费用审批。"),
    ("生产排程系统升级", "现有排程依赖Excel，需要支持多工厂协同。"),
    ("数据安全等级保护三级整改", "年底前通过等保三级测评。"),
    ("供应链可视化大屏", "实时展示库存、在途与订单履约情况。"),
]
NEEDS_EN = [
    (
        "Customer self-service portal",
        "Let customers track orders and download invoices.",
    ),
    ("Migrate reporting to a cloud data warehouse", "Nightly loads from three ERPs."),
    ("Warehouse scanning app", "Offline-capable Android app for pickers."),
]
FEEDBACK_CN = [
    ("praise", "项目团队响应迅速，交付质量高"),
    ("suggestion", "希望周报中增加风险说明"),
    ("complaint", "上线后报表加载缓慢"),
    ("complaint", "需求变更的报价周期过长"),
    ("suggestion", "培训材料希望提供视频版本"),
]
FEEDBACK_EN = [
    ("praise", "Great workshop facilitation"),
    ("complaint", "Invoice sent to the wrong cost centre"),
    ("suggestion", "Share the release calendar a month ahead"),
]


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randrange(10**8, 10**9)}"


@transaction.atomic
def load(today: date, seed: int = 20261125) -> dict[str, int]:
    """Create the demo clients (the demo users exist already). Returns counts."""
    rng = random.Random(seed)
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_STAFF)}
    managers = [users["li.na"], users["zhang.wei"], users["emma.hall"]]

    entries = [(n, i, a, Client.Kind.COMPANY, True) for n, i, a in COMPANIES]
    entries += [(n, i, a, Client.Kind.COMPANY, False) for n, i, a in ENGLISH_COMPANIES]
    entries += [
        (n, i, a, Client.Kind.INDIVIDUAL, "\u4e00" <= n[0] <= "\u9fff")
        for n, i, a in INDIVIDUALS
    ]
    counts = {"clients": 0, "contacts": 0, "contracts": 0, "payments": 0, "feedback": 0}
    for index, (name, industry, address, kind, chinese) in enumerate(entries):
        status = rng.choices(
            [
                Client.Status.ACTIVE,
                Client.Status.PROSPECT,
                Client.Status.DORMANT,
                Client.Status.LOST,
            ],
            weights=[6, 3, 2, 1],
        )[0]
        owner = managers[index % 3] if chinese or index % 2 else users["emma.hall"]
        contacts = []
        for n in range(1 if kind == Client.Kind.INDIVIDUAL else rng.randint(1, 3)):
            if chinese:
                person = rng.choice(CN_FAMILY) + rng.choice(CN_GIVEN)
                title = rng.choice(CN_TITLES)
                email = f"contact{index}.{n}@example.cn"
            else:
                person = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"
                title = rng.choice(EN_TITLES)
                email = f"{person.split()[0].lower()}.{index}{n}@example.com"
            if kind == Client.Kind.INDIVIDUAL:
                person, title = name, ""
            contacts.append(
                Contact(
                    name=person,
                    title=title,
                    phone=_phone(rng)
                    if chinese
                    else f"+1 555 {rng.randrange(1000, 9999)}",
                    email=email,
                    wechat=f"wx_{index}_{n}" if chinese else "",
                    is_primary=n == 0,
                )
            )
        client = services.create_client(
            Client(
                name=name,
                kind=kind,
                industry=industry,
                source=rng.choice(Client.Source.values),
                status=status,
                owner=owner,
                address=address,
                website=f"https://www.example{index}.{'cn' if chinese else 'com'}"
                if kind == Client.Kind.COMPANY
                else "",
                notes=""
                if index % 4
                else ("年度框架合作客户。" if chinese else "Framework agreement."),
            ),
            tags=rng.sample(TAGS, rng.randint(0, 2)),
            contacts=contacts,
        )
        counts["clients"] += 1
        counts["contacts"] += len(contacts)
        needs = NEEDS_CN if chinese else NEEDS_EN
        for title, description in rng.sample(needs, rng.randint(0, 2)):
            Requirement.objects.create(
                client=client,
                title=title,
                description=description,
                priority=rng.choice(Requirement.Priority.values),
                status=rng.choice(Requirement.Status.values),
                wanted_by=today + timedelta(days=rng.randint(-30, 180)),
            )
        if status in (Client.Status.ACTIVE, Client.Status.DORMANT, Client.Status.LOST):
            for c in range(rng.randint(1, 3)):
                signed = today - timedelta(days=rng.randint(30, 700))
                amount = Decimal(rng.randrange(80, 2400) * 1000)
                contract = Contract.objects.create(
                    client=client,
                    number=f"HT-{signed.year}-{index:03d}{c}",
                    title=rng.choice(["实施服务合同", "软件许可与维护", "咨询服务协议"])
                    if chinese
                    else rng.choice(
                        [
                            "Implementation services",
                            "Support agreement",
                            "Consulting SOW",
                        ]
                    ),
                    amount=amount,
                    currency="CNY" if chinese else rng.choice(["CNY", "USD"]),
                    signed_on=signed,
                    starts_on=signed + timedelta(days=7),
                    ends_on=signed + timedelta(days=rng.randint(120, 540)),
                    status=Contract.Status.ACTIVE
                    if status == Client.Status.ACTIVE
                    else Contract.Status.COMPLETED,
                )
                counts["contracts"] += 1
                paid = Decimal(0)
                for p in range(rng.randint(0, 3)):
                    part = (amount * Decimal(rng.choice([20, 30, 40])) / 100).quantize(
                        Decimal("1")
                    )
                    if paid + part > amount:
                        break
                    paid += part
                    Payment.objects.create(
                        contract=contract,
                        received_on=min(today, signed + timedelta(days=30 + 90 * p)),
                        amount=part,
                        method=rng.choice(Payment.Method.values),
                        reference=f"BK{signed:%Y%m}{index:03d}{p}",
                    )
                    counts["payments"] += 1
        samples = FEEDBACK_CN if chinese else FEEDBACK_EN
        for kind_, subject in rng.sample(samples, rng.randint(0, 2)):
            Feedback.objects.create(
                client=client,
                contact=client.contacts.first(),
                kind=kind_,
                severity=rng.choice(Feedback.Severity.values)
                if kind_ == "complaint"
                else "low",
                channel=rng.choice(Feedback.Channel.values),
                received_on=today - timedelta(days=rng.randint(1, 120)),
                subject=subject,
                status=rng.choice(Feedback.Status.values),
            )
            counts["feedback"] += 1
        if status != Client.Status.LOST:
            planned = today + timedelta(days=rng.randint(-20, 40))
            FollowUp.objects.create(
                client=client,
                contact=client.contacts.first(),
                owner=owner,
                planned_on=planned,
                purpose="季度回访：了解系统使用情况与新需求"
                if chinese
                else "Quarterly check-in",
            )
            done = today - timedelta(days=rng.randint(60, 120))
            FollowUp.objects.create(
                client=client,
                contact=client.contacts.first(),
                owner=owner,
                planned_on=done,
                done_on=done,
                purpose="项目验收后回访" if chinese else "Post-go-live visit",
                outcome="客户对交付整体满意，提出报表优化建议。"
                if chinese
                else "Happy overall; asked for faster reports.",
                next_on=planned,
            )
    services.recompute_tiers(today=today)
    # One client's tier is set by hand, to show the override.
    overridden = (
        Client.objects.filter(status=Client.Status.PROSPECT).order_by("id").first()
    )
    if overridden:
        Client.objects.filter(pk=overridden.pk).update(tier_override="A")
    return counts
