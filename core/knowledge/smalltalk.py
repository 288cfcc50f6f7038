"""Fixed conversational texts in both languages (greeting, help, redirects).

Policy content never lives here: it comes from the knowledge database."""

from __future__ import annotations

from core.knowledge.answers import Reply

MENU = {
    "zh": [
        {"title": "信用等级有哪些", "payload": "/ask_credit_levels"},
        {"title": "开始认证自我评估", "payload": "/start_assessment"},
        {"title": "AEO互认国家查询", "payload": "/ask_mra_overview"},
        {"title": "信用修复", "payload": "/ask_credit_repair"},
        {"title": "转人工咨询", "payload": "/human_handoff"},
    ],
    "en": [
        {"title": "The credit levels", "payload": "/ask_credit_levels"},
        {"title": "Start a self-assessment", "payload": "/start_assessment"},
        {"title": "AEO mutual recognition", "payload": "/ask_mra_overview"},
        {"title": "Credit repair", "payload": "/ask_credit_repair"},
        {"title": "Talk to a person", "payload": "/human_handoff"},
    ],
}

TEXTS = {
    "greet": {
        "zh": "您好！我是海关信用培育智能助手。我可以：\n"
        "1. 解答海关企业信用管理政策（信用等级、认证、失信认定、信用修复、AEO互认），每个回答都注明出处；\n"
        "2. 按2026年认证标准陪您逐项自我评估，给出差距报告和改进计划；\n"
        "3. 根据企业情况诊断信用风险，跟踪培育进度。\n请直接提问，或点下面的按钮。",
        "en": "Hello! I'm the Customs Credit Cultivation Assistant. I can:\n"
        "1. answer questions on China Customs enterprise credit rules (levels, certification, dishonesty, credit repair, AEO mutual recognition), citing the source of every answer;\n"
        "2. walk you item by item through a self-assessment against the 2026 certification standards, with a gap report and improvement plan;\n"
        "3. diagnose credit risk from your enterprise's facts and track your cultivation tasks.\nAsk a question or tap a button below.",
    },
    # "/help": the kiosk's big "政策问答" button (a typed "你能做什么" gets the greeting)
    "help": {
        "zh": "请直接说出或输入您想了解的政策问题，例如“高级认证企业的资产负债率要求多少”“失信企业怎么修复信用”"
        "“韩国和我们有AEO互认吗”。每个回答都注明出处。也可以点下面的常见主题。",
        "en": "Say or type your policy question, e.g. “what debt ratio does an advanced certified enterprise need?”, "
        "“how does a dishonest enterprise repair its credit?” or “is Korea an AEO partner?”. "
        "Every answer names its source. Or tap a common topic below.",
    },
    "goodbye": {"zh": "再见！有问题随时来问。", "en": "Goodbye! Come back any time."},
    "thank": {"zh": "不客气！还有其他问题吗？", "en": "You're welcome! Anything else?"},
    "affirm": {"zh": "好的。您还想了解什么？", "en": "OK. What else would you like to know?"},
    "deny": {"zh": "好的。需要时随时问我。", "en": "All right. Ask me whenever you need."},
    "bot_challenge": {
        "zh": "我是海关信用培育智能助手，一个自动问答程序，不是海关工作人员。需要人工服务请拨打12360，或联系企业的主管海关。",
        "en": "I'm an automated assistant, not a customs officer. For a person, call the 12360 hotline or contact your enterprise's customs office.",
    },
    "chitchat": {
        "zh": "谢谢关心！我专门解答海关企业信用和认证方面的问题，您可以问我，比如“高级认证企业有哪些便利”。",
        "en": "Thanks for asking! I specialise in customs enterprise credit and certification, for example “what do advanced certified enterprises get?”.",
    },
    "out_of_scope": {
        "zh": "抱歉，这超出了我的服务范围。我专门解答海关企业信用管理方面的问题，比如信用等级、认证标准、信用修复、AEO互认，也可以陪您做认证自我评估。",
        "en": "Sorry, that's outside what I can help with. I answer questions on China Customs enterprise credit: levels, certification standards, credit repair, AEO mutual recognition, and I can walk you through a self-assessment.",
    },
    "empty": {
        "zh": "我没有收到文字内容。我专门解答海关企业信用方面的问题，请用一句话描述，例如“失信企业怎么修复信用”。",
        "en": "I didn't receive any words. I answer questions on customs enterprise credit; please describe yours in a sentence, e.g. “how can a dishonest enterprise repair its credit?”.",
    },
    "too_long": {
        "zh": "您的消息很长，我只看了开头部分。请用一两句话说明最想问的问题，我会更准确地回答。",
        "en": "Your message is very long, so I only read its beginning. Please ask your main question in a sentence or two for a precise answer.",
    },
}


def reply(kind: str, lang: str, with_menu: bool = False) -> Reply:
    texts = TEXTS.get(kind) or TEXTS["greet"] or {}
    buttons = MENU[lang] if with_menu else []
    return Reply(text=texts[lang], buttons=list(buttons), kind=kind)


def handoff(lang: str, user_messages: list[str], enterprise: str = "") -> Reply:
    """The human route plus a short summary the user can paste."""
    recent = [m.strip().replace("\n", " ") for m in user_messages if m and not m.startswith("/")][-5:]
    recent = [m if len(m) <= 80 else m[:77] + "..." for m in recent]
    if lang == "zh":
        lines = [
            "需要人工帮助时，可以：",
            "1. 拨打海关12360服务热线（政策咨询）；",
            "2. 联系企业的主管海关（企业管理或稽查部门；已在培育名单的企业可联系企业协调员）；",
            "3. 登录 credit.customs.gov.cn 查询企业公示的信用信息。",
            "",
            "可复制给工作人员的对话摘要：",
        ]
        lines.append(f"【企业】{enterprise}" if enterprise else "【企业】（请补充企业名称和统一社会信用代码）")
        lines += [f"【问题{i + 1}】{m}" for i, m in enumerate(recent)] or ["【问题】（本次对话暂无提问）"]
    else:
        lines = [
            "For help from a person:",
            "1. call the customs 12360 service hotline (policy questions);",
            "2. contact your enterprise's customs office (enterprise management; enterprises under cultivation have a customs coordinator);",
            "3. check the published credit record at credit.customs.gov.cn.",
            "",
            "Summary of this conversation to paste:",
        ]
        lines.append(
            f"[Enterprise] {enterprise}"
            if enterprise
            else "[Enterprise] (add your name and unified social credit code)"
        )
        lines += [f"[Question {i + 1}] {m}" for i, m in enumerate(recent)] or ["[Question] (none yet)"]
    return Reply(text="\n".join(lines), kind="handoff")
