"""The built-in bilingual templates for the firms we serve: software implementation,
website/app delivery and a consulting engagement. ``install`` writes them (again) as
templates with a ``builtin_key``; a changed definition becomes a new version.

Tasks are written as rows ``(ref, parent, 中文, English, duration, predecessors)``:
duration ``None`` is a summary task, ``0`` a milestone; predecessors in MS Project's
notation over refs ("t3", "t3FS+2", "t5SS-1", several separated by commas).
"""

import re
from typing import Any

from clientfolio.blueprints import structure

__all__ = ["TEMPLATES", "document", "install"]

_LINK = re.compile(r"^(?P<ref>[a-z]\w*?)(?P<type>FS|SS|FF|SF)?(?P<lag>[+-]\d+)?$")


def _links(ref: str, predecessors: str) -> list[dict[str, Any]]:
    links = []
    for part in filter(None, (p.strip() for p in predecessors.split(","))):
        match = _LINK.match(part)
        assert match, part
        links.append(
            {
                "from": match["ref"],
                "to": ref,
                "type": match["type"] or "FS",
                "lag": int(match["lag"] or 0),
            }
        )
    return links


def _pair(value: tuple[str, str] | None) -> dict[str, str]:
    if not value:
        return {}
    return {"zh": value[0], "en": value[1]}


def document(definition: dict[str, Any]) -> dict[str, Any]:
    """The template document of a definition below."""
    tasks, links = [], []
    acceptance = definition.get("acceptance", {})
    hidden = definition.get("internal", set())
    for ref, parent, zh, en, duration, predecessors in definition["tasks"]:
        tasks.append(
            {
                "ref": ref,
                "parent": parent,
                "name": {"zh": zh, "en": en},
                "duration": 1 if duration is None else duration,
                "milestone": duration == 0,
                "acceptance": _pair(acceptance.get(ref)),
                "client_visible": ref not in hidden,
            }
        )
        links.extend(_links(ref, predecessors))
    folders = []
    for index, (zh, en, children) in enumerate(definition["folders"], start=1):
        folders.append(
            {"ref": f"f{index}", "parent": None, "name": {"zh": zh, "en": en}}
        )
        for sub, (czh, cen) in enumerate(children, start=1):
            folders.append(
                {
                    "ref": f"f{index}.{sub}",
                    "parent": f"f{index}",
                    "name": {"zh": czh, "en": cen},
                }
            )
    risks = [
        {
            "title": {"zh": r[0], "en": r[1]},
            "category": r[2],
            "probability": r[3],
            "impact": r[4],
            "strategy": r[5],
            "response": {"zh": r[6], "en": r[7]},
        }
        for r in definition["risks"]
    ]
    standards = [
        {
            "category": s[0],
            "title": {"zh": s[1], "en": s[2]},
            "target": {"zh": s[3], "en": s[4]},
        }
        for s in definition["standards"]
    ]
    deliverables = [
        {
            "name": {"zh": d[0], "en": d[1]},
            "milestone": d[2],
            "acceptance": {"zh": d[3], "en": d[4]},
        }
        for d in definition["deliverables"]
    ]
    roles = [
        {
            "role": r[0],
            "name": {"zh": r[1], "en": r[2]},
            "responsibilities": {"zh": r[3], "en": r[4]},
        }
        for r in definition["roles"]
    ]
    return structure.validate(
        {
            "tasks": tasks,
            "links": links,
            "folders": folders,
            "risks": risks,
            "standards": standards,
            "deliverables": deliverables,
            "roles": roles,
        }
    ).as_document()


SOFTWARE: dict[str, Any] = {
    "key": "software-implementation",
    "name": ("软件实施项目", "Software implementation"),
    "description": (
        "从需求调研、方案设计、开发、测试到上线与验收的企业软件实施，含数据迁移、培训与试运行。",
        "An enterprise software implementation from discovery and solution design through "
        "build, testing and go-live to acceptance, with data migration, training and hypercare.",
    ),
    "tasks": [
        ("t1", None, "项目启动", "Initiation", None, ""),
        ("t2", "t1", "项目启动会", "Kick-off meeting", 1, ""),
        ("t3", "t1", "项目章程与计划确认", "Charter and plan sign-off", 3, "t2"),
        ("t4", None, "需求调研", "Requirements discovery", None, ""),
        ("t5", "t4", "业务现状调研与访谈", "Current-state interviews", 5, "t3"),
        ("t6", "t4", "需求规格说明书编写", "Requirements specification", 5, "t5SS+2"),
        ("t7", "t4", "需求评审与确认", "Requirements review", 2, "t6"),
        ("t8", "t4", "需求确认", "Requirements signed off", 0, "t7"),
        ("t9", None, "方案设计", "Solution design", None, ""),
        ("t10", "t9", "总体架构设计", "Architecture design", 4, "t8"),
        ("t11", "t9", "详细设计与接口设计", "Detailed and interface design", 6, "t10"),
        ("t12", "t9", "数据迁移方案", "Data migration plan", 3, "t10"),
        ("t13", "t9", "方案评审通过", "Design approved", 0, "t11,t12"),
        ("t14", None, "开发", "Build", None, ""),
        ("t15", "t14", "环境搭建", "Environments set up", 3, "t10"),
        (
            "t16",
            "t14",
            "功能开发与配置",
            "Development and configuration",
            20,
            "t13,t15",
        ),
        ("t17", "t14", "系统接口开发", "Interfaces", 10, "t16SS+5"),
        (
            "t18",
            "t14",
            "数据迁移脚本与演练",
            "Migration scripts and rehearsal",
            8,
            "t12,t16SS+10",
        ),
        ("t19", None, "测试", "Testing", None, ""),
        ("t20", "t19", "系统测试", "System testing", 8, "t16,t17"),
        (
            "t21",
            "t19",
            "用户验收测试（UAT）",
            "User acceptance testing (UAT)",
            8,
            "t20",
        ),
        ("t22", "t19", "UAT 通过", "UAT passed", 0, "t21,t18"),
        ("t23", None, "上线", "Go-live", None, ""),
        ("t24", "t23", "用户培训", "User training", 3, "t21SS+3"),
        ("t25", "t23", "上线切换", "Cut-over", 2, "t22,t24"),
        ("t26", "t23", "系统上线", "System live", 0, "t25"),
        ("t27", "t23", "上线支持与试运行", "Hypercare", 10, "t26"),
        ("t28", None, "验收", "Acceptance", None, ""),
        ("t29", "t28", "验收材料整理", "Acceptance documents", 3, "t27FF"),
        ("t30", "t28", "项目验收", "Project accepted", 0, "t29"),
    ],
    "internal": {"t15"},
    "acceptance": {
        "t8": (
            "需求规格说明书经客户业务负责人签字确认\n需求清单已纳入范围基线",
            "Requirements specification signed by the client's business owner\n"
            "Requirement list baselined into scope",
        ),
        "t13": (
            "架构与详细设计通过双方评审\n数据迁移方案经客户确认",
            "Architecture and detailed design reviewed by both sides\n"
            "Data migration plan confirmed by the client",
        ),
        "t22": (
            "UAT 用例执行率 100%\n无未关闭的一、二级缺陷\n客户关键用户签署 UAT 报告",
            "All UAT cases executed\nNo open severity 1–2 defects\n"
            "UAT report signed by the client's key users",
        ),
        "t26": (
            "生产环境切换完成并通过冒烟测试\n历史数据迁移核对无误",
            "Production cut-over done and smoke-tested\nMigrated data reconciled",
        ),
        "t30": (
            "试运行期间系统稳定\n交付文档齐全\n客户签署验收单",
            "System stable through hypercare\nAll delivery documents handed over\n"
            "Acceptance certificate signed by the client",
        ),
    },
    "folders": [
        (
            "01 项目管理",
            "01 Project management",
            [("会议纪要", "Minutes"), ("周报", "Weekly reports")],
        ),
        ("02 需求", "02 Requirements", []),
        ("03 设计", "03 Design", []),
        ("04 开发", "04 Build", [("接口文档", "Interface specs")]),
        (
            "05 测试",
            "05 Testing",
            [("测试用例", "Test cases"), ("缺陷报告", "Defect reports")],
        ),
        ("06 上线", "06 Go-live", [("培训材料", "Training material")]),
        ("07 验收", "07 Acceptance", []),
    ],
    "risks": [
        (
            "需求范围蔓延",
            "Scope creep",
            "client",
            4,
            4,
            "mitigate",
            "需求基线化，所有新增需求走变更流程。",
            "Baseline the requirements; every addition goes through change control.",
        ),
        (
            "客户关键用户投入不足",
            "Key users unavailable",
            "resource",
            3,
            4,
            "mitigate",
            "在项目章程中约定客户方投入，UAT 前两周锁定日程。",
            "Agree the client's staffing in the charter; book UAT time two weeks ahead.",
        ),
        (
            "历史数据质量差",
            "Poor legacy data quality",
            "technical",
            4,
            3,
            "mitigate",
            "需求阶段抽样评估数据质量，迁移前至少两次演练。",
            "Sample the data during discovery; rehearse the migration at least twice.",
        ),
        (
            "第三方接口延期",
            "Third-party interfaces late",
            "external",
            3,
            3,
            "transfer",
            "合同中明确接口提供时间，提前用模拟服务联调。",
            "Put interface dates in the contract; integrate early against mocks.",
        ),
        (
            "上线窗口被业务高峰挤占",
            "Go-live window lost to peak season",
            "schedule",
            2,
            4,
            "avoid",
            "启动时与客户确认上线窗口并冻结。",
            "Fix the go-live window with the client at kick-off.",
        ),
    ],  # fmt: skip
    "standards": [
        (
            "technical",
            "核心页面响应时间",
            "Response time of key pages",
            "P95 ≤ 2 秒",
            "P95 ≤ 2 s",
        ),
        (
            "technical",
            "上线前缺陷",
            "Defects at go-live",
            "无一、二级缺陷",
            "No severity 1–2 defects",
        ),
        (
            "management",
            "周报按时发送",
            "Weekly report on time",
            "每周五 18:00 前",
            "Every Friday by 18:00",
        ),
        (
            "service",
            "上线后问题响应",
            "Response to issues after go-live",
            "工作时间 2 小时内",
            "Within 2 working hours",
        ),
    ],  # fmt: skip
    "deliverables": [
        (
            "需求规格说明书",
            "Requirements specification",
            "t8",
            "覆盖全部业务流程\n客户签字确认",
            "Covers every business process\nSigned by the client",
        ),
        (
            "系统设计说明书",
            "System design document",
            "t13",
            "含架构、接口与数据模型\n通过评审",
            "Architecture, interfaces and data model\nReviewed and approved",
        ),
        (
            "UAT 测试报告",
            "UAT report",
            "t22",
            "用例执行率 100%\n缺陷清单与处理结果",
            "All cases executed\nDefect list with resolutions",
        ),
        (
            "用户手册与培训材料",
            "User manual and training material",
            "t26",
            "覆盖所有角色的操作\n培训签到记录",
            "Covers every role's tasks\nTraining attendance recorded",
        ),
        (
            "项目验收报告",
            "Acceptance report",
            "t30",
            "客户签字盖章",
            "Signed and stamped by the client",
        ),
    ],  # fmt: skip
    "roles": [
        (
            "manager",
            "项目经理",
            "Project manager",
            "计划、沟通、变更与风险管理",
            "Plan, communication, changes and risks",
        ),
        (
            "member",
            "业务分析师",
            "Business analyst",
            "需求调研与需求规格说明书",
            "Discovery and the requirements specification",
        ),
        (
            "member",
            "架构师",
            "Solution architect",
            "总体架构与详细设计",
            "Architecture and detailed design",
        ),
        (
            "member",
            "开发工程师",
            "Developer",
            "功能开发、接口与数据迁移",
            "Build, interfaces and data migration",
        ),
        (
            "member",
            "测试工程师",
            "Test engineer",
            "系统测试与 UAT 支持",
            "System testing and UAT support",
        ),
        (
            "member",
            "实施顾问",
            "Implementation consultant",
            "培训、上线切换与试运行支持",
            "Training, cut-over and hypercare",
        ),
    ],  # fmt: skip
}

WEBSITE: dict[str, Any] = {
    "key": "website-app-delivery",
    "name": ("网站 / App 交付", "Website / app delivery"),
    "description": (
        "企业网站、小程序或移动 App 的交付：策划、UI 设计、前后端开发、内容填充、测试与发布上架。",
        "Delivering a website, mini program or mobile app: planning, UI design, front-end "
        "and back-end build, content, testing and release to the stores.",
    ),
    "tasks": [
        ("w1", None, "策划", "Planning", None, ""),
        ("w2", "w1", "需求沟通会", "Briefing workshop", 1, ""),
        ("w3", "w1", "站点地图与功能清单", "Sitemap and feature list", 3, "w2"),
        ("w4", "w1", "交互原型", "Wireframes and prototype", 5, "w3"),
        ("w5", "w1", "原型确认", "Prototype approved", 0, "w4"),
        ("w6", None, "视觉设计", "Visual design", None, ""),
        ("w7", "w6", "视觉风格稿", "Style direction", 3, "w5"),
        ("w8", "w6", "页面设计稿", "Page designs", 8, "w7"),
        ("w9", "w6", "设计稿确认", "Designs approved", 0, "w8"),
        ("w10", None, "开发", "Build", None, ""),
        ("w11", "w10", "前端开发", "Front-end development", 12, "w9"),
        ("w12", "w10", "后端与接口开发", "Back-end and API", 12, "w5FS+3"),
        ("w13", "w10", "CMS 与后台配置", "CMS and admin set-up", 4, "w12SS+5"),
        ("w14", "w10", "内容填充", "Content entry", 5, "w13"),
        ("w15", None, "测试", "Testing", None, ""),
        (
            "w16",
            "w15",
            "功能与兼容性测试",
            "Functional and device testing",
            5,
            "w11,w12",
        ),
        (
            "w17",
            "w15",
            "性能与安全检查",
            "Performance and security checks",
            3,
            "w16SS+2",
        ),
        ("w18", "w15", "客户验收测试", "Client acceptance testing", 4, "w16,w14"),
        ("w19", None, "发布", "Release", None, ""),
        (
            "w20",
            "w19",
            "域名、备案与服务器准备",
            "Domain, ICP filing and hosting",
            10,
            "w3",
        ),
        ("w21", "w19", "应用商店提交审核", "App store submission", 5, "w18"),
        ("w22", "w19", "正式上线", "Launch", 0, "w18,w20,w21SS+2"),
        ("w23", "w19", "上线后优化", "Post-launch fixes", 5, "w22"),
        ("w24", "w19", "项目验收", "Project accepted", 0, "w23"),
    ],
    "internal": {"w13"},
    "acceptance": {
        "w5": (
            "客户确认原型的页面与流程",
            "Client confirms the pages and flows of the prototype",
        ),
        "w9": (
            "客户确认全部页面设计稿（含移动端）",
            "Client approves every page design, mobile included",
        ),
        "w22": (
            "主流浏览器与机型测试通过\nICP 备案完成\n应用商店审核通过",
            "Passes on the main browsers and devices\nICP filing done\nApproved by the app stores",
        ),
        "w24": (
            "上线后两周内无严重问题\n客户签署验收单",
            "No serious issue in the two weeks after launch\nAcceptance certificate signed",
        ),
    },
    "folders": [
        ("01 项目管理", "01 Project management", [("会议纪要", "Minutes")]),
        ("02 策划与原型", "02 Planning and prototype", []),
        ("03 设计稿", "03 Designs", [("切图与素材", "Assets")]),
        ("04 开发", "04 Build", []),
        ("05 内容", "05 Content", []),
        ("06 测试", "06 Testing", []),
        ("07 上线与验收", "07 Launch and acceptance", []),
    ],
    "risks": [
        (
            "设计稿反复修改",
            "Endless design revisions",
            "client",
            4,
            3,
            "mitigate",
            "合同约定两轮修改，超出部分走变更。",
            "Two revision rounds in the contract; more go through change control.",
        ),
        (
            "内容提供延迟",
            "Content delivered late",
            "client",
            4,
            3,
            "mitigate",
            "在启动会上确定内容清单与截止日期。",
            "Agree a content list and deadlines at kick-off.",
        ),
        (
            "备案或上架审核不通过",
            "ICP filing or store review rejected",
            "external",
            3,
            4,
            "mitigate",
            "提前准备资质材料，预留审核时间。",
            "Prepare the documents early and leave time for review.",
        ),
        (
            "浏览器与机型兼容问题",
            "Browser and device compatibility",
            "technical",
            3,
            2,
            "accept",
            "约定支持的浏览器与机型清单。",
            "Agree the list of supported browsers and devices.",
        ),
    ],  # fmt: skip
    "standards": [
        (
            "technical",
            "首屏加载时间",
            "First contentful paint",
            "4G 网络下 ≤ 2 秒",
            "≤ 2 s on 4G",
        ),
        (
            "technical",
            "Lighthouse 无障碍评分",
            "Lighthouse accessibility score",
            "≥ 90",
            "≥ 90",
        ),
        (
            "service",
            "上线后问题响应",
            "Response to issues after launch",
            "1 个工作日内",
            "Within one working day",
        ),
    ],  # fmt: skip
    "deliverables": [
        (
            "交互原型",
            "Interactive prototype",
            "w5",
            "覆盖全部页面与主流程",
            "Covers every page and main flow",
        ),
        (
            "视觉设计稿",
            "Visual designs",
            "w9",
            "桌面端与移动端\n源文件与切图",
            "Desktop and mobile\nSource files and assets",
        ),
        (
            "上线的网站 / App",
            "Live website / app",
            "w22",
            "生产环境可访问\n后台账号移交",
            "Reachable in production\nAdmin accounts handed over",
        ),
        (
            "运维与操作手册",
            "Operations and editor guide",
            "w24",
            "含后台内容维护说明",
            "Explains how to maintain the content",
        ),
    ],  # fmt: skip
    "roles": [
        (
            "manager",
            "项目经理",
            "Project manager",
            "进度、沟通与验收",
            "Schedule, communication and acceptance",
        ),
        (
            "member",
            "产品经理",
            "Product manager",
            "功能清单与交互原型",
            "Feature list and prototype",
        ),
        (
            "member",
            "UI 设计师",
            "UI designer",
            "视觉风格与页面设计",
            "Visual style and page designs",
        ),
        (
            "member",
            "前端工程师",
            "Front-end developer",
            "页面与交互实现",
            "Pages and interactions",
        ),
        (
            "member",
            "后端工程师",
            "Back-end developer",
            "接口、后台与部署",
            "APIs, admin and deployment",
        ),
        (
            "member",
            "测试工程师",
            "QA engineer",
            "功能、兼容与性能测试",
            "Functional, device and performance testing",
        ),
    ],  # fmt: skip
}

CONSULTING: dict[str, Any] = {
    "key": "consulting-engagement",
    "name": ("咨询项目", "Consulting engagement"),
    "description": (
        "管理或数字化咨询：现状诊断、访谈与数据分析、方案设计、汇报与落地路线图。",
        "A management or digital consulting engagement: diagnosis, interviews and data "
        "analysis, recommendations, steering committee and the implementation roadmap.",
    ),
    "tasks": [
        ("c1", None, "启动", "Mobilisation", None, ""),
        ("c2", "c1", "启动会与访谈计划", "Kick-off and interview plan", 2, ""),
        ("c3", "c1", "资料清单收集", "Document request", 5, "c2SS"),
        ("c4", None, "现状诊断", "Diagnosis", None, ""),
        ("c5", "c4", "高层与部门访谈", "Leadership and department interviews", 8, "c2"),
        ("c6", "c4", "数据分析", "Data analysis", 8, "c3"),
        ("c7", "c4", "标杆研究", "Benchmarking", 5, "c2FS+2"),
        ("c8", "c4", "诊断报告", "Diagnostic report", 4, "c5,c6,c7"),
        ("c9", "c4", "诊断报告汇报", "Diagnosis presented", 0, "c8"),
        ("c10", None, "方案设计", "Recommendations", None, ""),
        ("c11", "c10", "方案选项与评估", "Options and evaluation", 6, "c9"),
        ("c12", "c10", "方案研讨会", "Design workshops", 3, "c11SS+3"),
        ("c13", "c10", "方案报告", "Recommendations report", 5, "c11,c12"),
        ("c14", "c10", "指导委员会评审", "Steering committee review", 1, "c13"),
        ("c15", "c10", "方案确认", "Recommendations approved", 0, "c14"),
        ("c16", None, "落地规划", "Roadmap", None, ""),
        ("c17", "c16", "实施路线图", "Implementation roadmap", 5, "c15"),
        (
            "c18",
            "c16",
            "组织与流程调整建议",
            "Organisation and process changes",
            4,
            "c17SS+1",
        ),
        ("c19", "c16", "最终汇报", "Final presentation", 1, "c17,c18"),
        ("c20", "c16", "项目结项", "Engagement closed", 0, "c19"),
    ],
    "internal": {"c7"},
    "acceptance": {
        "c9": (
            "诊断报告经客户项目负责人确认",
            "Diagnostic report confirmed by the client's sponsor",
        ),
        "c15": (
            "指导委员会批准推荐方案",
            "Steering committee approves the recommended option",
        ),
        "c20": (
            "最终报告与路线图交付\n客户签署结项确认",
            "Final report and roadmap delivered\nClosure confirmed in writing by the client",
        ),
    },
    "folders": [
        ("01 项目管理", "01 Project management", [("会议纪要", "Minutes")]),
        ("02 客户资料", "02 Client documents", []),
        ("03 访谈记录", "03 Interview notes", []),
        ("04 分析", "04 Analysis", []),
        ("05 报告", "05 Reports", [("汇报材料", "Presentations")]),
    ],
    "risks": [
        (
            "受访者时间难以协调",
            "Interviewees hard to schedule",
            "client",
            4,
            3,
            "mitigate",
            "启动会上由客户发起人确认访谈日程。",
            "Have the sponsor confirm the interview calendar at kick-off.",
        ),
        (
            "数据不完整或口径不一",
            "Incomplete or inconsistent data",
            "technical",
            3,
            4,
            "mitigate",
            "第一周确认数据口径，缺失数据以假设说明。",
            "Agree definitions in week one; state assumptions for gaps.",
        ),
        (
            "高层对方案意见分歧",
            "Leadership disagrees on the direction",
            "management",
            3,
            5,
            "mitigate",
            "方案研讨会前与关键决策者逐一预沟通。",
            "Pre-wire each decision-maker before the workshops.",
        ),
        (
            "保密信息外泄",
            "Confidential information leaks",
            "external",
            1,
            5,
            "avoid",
            "签署保密协议，资料只存放在项目文件夹。",
            "Sign an NDA; keep material only in the project folder.",
        ),
    ],  # fmt: skip
    "standards": [
        (
            "management",
            "访谈纪要提交时限",
            "Interview notes turnaround",
            "访谈后 2 个工作日内",
            "Within 2 working days",
        ),
        (
            "service",
            "汇报材料提前发送",
            "Pre-reads sent ahead",
            "汇报前 2 个工作日",
            "2 working days before each meeting",
        ),
        (
            "technical",
            "结论有数据支持",
            "Findings backed by data",
            "每条结论注明来源",
            "Every finding cites its source",
        ),
    ],  # fmt: skip
    "deliverables": [
        (
            "诊断报告",
            "Diagnostic report",
            "c9",
            "现状、问题与根因\n数据来源注明",
            "Current state, issues and root causes\nSources cited",
        ),
        (
            "方案报告",
            "Recommendations report",
            "c15",
            "方案选项、评估与推荐",
            "Options, evaluation and recommendation",
        ),
        (
            "实施路线图",
            "Implementation roadmap",
            "c20",
            "分阶段计划、资源与风险",
            "Phased plan, resources and risks",
        ),
    ],  # fmt: skip
    "roles": [
        (
            "manager",
            "项目经理",
            "Engagement manager",
            "进度、客户沟通与质量把关",
            "Schedule, client relationship and quality",
        ),
        (
            "member",
            "高级顾问",
            "Senior consultant",
            "访谈、诊断与方案设计",
            "Interviews, diagnosis and recommendations",
        ),
        (
            "member",
            "分析师",
            "Analyst",
            "数据分析与报告制作",
            "Data analysis and report production",
        ),
        (
            "viewer",
            "行业专家",
            "Industry expert",
            "标杆研究与方案评审",
            "Benchmarks and review of the recommendations",
        ),
    ],  # fmt: skip
}

TEMPLATES = (SOFTWARE, WEBSITE, CONSULTING)


def install(user: Any = None) -> int:
    """Create the built-in templates, or add a version where a definition changed.
    Returns how many built-in templates there are."""
    from clientfolio.blueprints import services
    from clientfolio.blueprints.models import ProjectTemplate

    for definition in TEMPLATES:
        content = document(definition)
        template = ProjectTemplate.objects.filter(builtin_key=definition["key"]).first()
        if template is None:
            template = services.create_template(
                user=user,
                content=content,
                name_zh=definition["name"][0],
                name_en=definition["name"][1],
                description_zh=definition["description"][0],
                description_en=definition["description"][1],
            )
            ProjectTemplate.objects.filter(pk=template.pk).update(
                builtin_key=definition["key"]
            )
            continue
        latest = template.revisions.order_by("-number").first()
        if latest is None or latest.content != content:
            services.add_revision(template, content, user=user)
    return len(TEMPLATES)
