#!/usr/bin/env python3
"""Write a chat fine-tuning JSONL file of a chosen size, the data ftlint's benchmarks run on.

Python's standard library only; the same arguments give the same bytes.

Every line is one {"messages": [...]} record in the Chat Completions fine-tuning format. The mix
follows what real uploads hold, so that every part of a check gets its share of the work:

  kind      share  what it is
  chat        52%  one to five turns, a system prompt on most
  weighted    15%  chat with "weight": 0/1 on the assistant turns (the last one always 1)
  tools       12%  "tools" at the top, assistant "tool_calls", "tool" replies, parallel calls
  vision      10%  user content parts: text and one to three https "image_url" parts
  named        5%  chat whose user turns carry a "name"
  long         4%  chat whose last answer runs to thousands of tokens
  legacy       2%  the older "functions" / "function_call" / "function" role form

Text is English, Swedish, Chinese, or a mix of them, with numbers, emoji, markdown lists and code
blocks. About a third of the lines escape every non-ASCII character (as json.dumps does by default)
and the rest write raw UTF-8; half are compact, half use json.dumps' default spacing.

--bad-rate F gives a fraction F of the lines one planted fault each (see FAULTS) and writes a
manifest, a JSON file that lists every fault with its 1-based line number and the severity a
validator should give it, so that a linter's findings can be scored against it.

--mb is a ceiling: whole lines are written up to at most that many bytes (MiB unless --unit MB), so
--mb 512 stays within a 512 MiB upload limit.

usage: gen_dataset.py --mb 512 [--seed 1] [--bom] [--bad-rate 0.001] [--faults KIND,...]
                      [--mix full|text] [--max-huge 3] [--unit MiB|MB]
                      [--out FILE] [--manifest FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import string
import sys
import time

# ---------------------------------------------------------------------------------------------
# Words and fixed pieces of content
# ---------------------------------------------------------------------------------------------

ENGLISH = """
the a an of to in on at by for with from into over under after before during since until
and or but so yet if then when while because unless though whether where which who whose
is are was were be been being has have had do does did will would can could should may might
order invoice payment refund delivery parcel address customer account subscription plan
server client request response error warning log metric dashboard alert deployment cluster
database table column index query schema migration backup restore replica shard partition
file folder path upload download format encoding line record field value key string number
model prompt answer question summary example dataset training validation epoch token limit
price cost budget discount tax receipt warranty return exchange shipping tracking carrier
morning afternoon evening night today tomorrow yesterday week month quarter year deadline
quickly slowly carefully usually rarely often always never sometimes probably certainly
check confirm cancel create remove update send receive open close start stop restart retry
install configure upgrade migrate deploy monitor measure compare explain describe summarize
help need want prefer know think expect find give take make use try ask tell show keep
good poor new old large small fast slow easy hard simple complex clear useful possible
first last next previous other same different several many few more less most least each
please thanks sorry sure okay great fine correct wrong missing invalid available pending
python rust go java typescript linux macos windows docker kubernetes terraform nginx
password login session cookie cache memory disk cpu latency bandwidth timeout quota
""".split()

SWEDISH = """
och att det som en ett är på för med av till inte har den de om var men eller så
jag du vi ni han hon man kan ska vill måste får kommer blir finns gör går ser tar
hej tack förlåt gärna visst kanske alltid aldrig ofta ibland redan fortfarande snart
beställning faktura leverans adress kund konto betalning återbetalning garanti paket
fråga svar problem lösning steg orsak exempel fel värde resultat fil rad tabell kolumn
tjänst nätverk databas rapport sammanfattning version uppdatering ändring ärende logg
idag imorgon igår förmiddag eftermiddag kväll vecka månad år timme minut sekund
snabbt långsamt enkelt svårt viktigt möjligt nästa förra första sista samma annan
kontrollera bekräfta avboka skapa radera ändra skicka öppna stänga starta stoppa
installera konfigurera uppgradera övervaka mäta jämföra förklara beskriva hjälpa
bra dålig ny gammal stor liten snabb lätt svår enkel krånglig viktig användbar
här där nu sedan igen också bara mycket lite ganska väldigt helt nästan därför
sjö skog älv fjäll stuga fika kaffe kanelbulle midsommar sommar vinter höst vår snö
Göteborg Stockholm Malmö Uppsala Västerås Örebro Linköping Jönköping Umeå Luleå Kiruna Åre
""".split()

CHINESE = """
我们 你们 他们 这个 那个 什么 怎么 为什么 可以 需要 应该 已经 还是 或者 但是 因为 所以
如果 然后 现在 今天 明天 昨天 时间 问题 答案 方法 步骤 原因 例子 错误 结果 文件 数据
模型 训练 验证 系统 服务 网络 数据库 报告 总结 版本 更新 订单 发票 客户 账户 付款 退款
地址 快递 检查 确认 取消 创建 删除 修改 发送 接收 打开 关闭 开始 停止 安装 配置 升级
部署 监控 比较 解释 描述 帮助 非常 特别 简单 复杂 重要 有用 可能 第一 最后 其他 一些
北京 上海 深圳 杭州 成都 广州 中文 英文 瑞典 翻译 学习 工作 生活 朋友 家人 天气 咖啡 茶
""".split()

EMOJI = [
    "😀", "😅", "😂", "🙂", "😉", "😍", "🤔", "🙄", "👍", "👎", "👏", "🙏", "🎉", "🚀", "🔥",
    "✅", "❌", "⚠️", "💡", "📦", "📈", "📉", "🛒", "☕", "🍵", "🌧️", "☀️", "❄️", "⭐",
    "🇸🇪", "🇨🇳", "🇬🇧", "👨‍💻", "👩‍🔬", "🧑‍🏫", "🧪", "🐍", "🦀", "💬", "📎", "🔒", "⏰",
    "🤖", "❤️", "🏳️‍🌈", "👋🏽", "👍🏻", "✨", "→", "—", "…", "“ok”",
]

CODE_BLOCKS = [
    "```python\nimport csv\n\nwith open(\"orders.csv\", newline=\"\") as f:\n"
    "    total = sum(float(row[\"amount\"]) for row in csv.DictReader(f))\nprint(f\"{total:.2f}\")\n```",
    "```bash\n$ kubectl get pods -n shop\n$ kubectl logs deploy/api --tail=50 | grep -i error\n```",
    "```rust\nuse std::collections::HashMap;\n\nfn tally(words: &[&str]) -> HashMap<&str, usize> {\n"
    "    let mut counts = HashMap::new();\n    for w in words {\n        *counts.entry(*w).or_insert(0) += 1;\n"
    "    }\n    counts\n}\n```",
    "```sql\nSELECT c.id, c.name, COUNT(o.id) AS orders\nFROM customers c\n"
    "LEFT JOIN orders o ON o.customer_id = c.id\nGROUP BY c.id, c.name\nHAVING COUNT(o.id) > 5;\n```",
    "```json\n{\"order\": \"A-20931\", \"status\": \"in_transit\", \"carrier\": \"PostNord\", \"eta\": \"2024-06-03\"}\n```",
    "```typescript\nexport async function fetchOrder(id: string): Promise<Order> {\n"
    "  const res = await fetch(`/api/orders/${id}`);\n  if (!res.ok) throw new Error(`HTTP ${res.status}`);\n"
    "  return res.json();\n}\n```",
    "```yaml\nservices:\n  api:\n    image: shop/api:1.4.2\n    ports: [\"8080:8080\"]\n"
    "    environment:\n      LOG_LEVEL: info\n```",
]

SYSTEM_PROMPTS = [
    "You are a friendly support assistant for an online bookshop. Keep answers short and polite.",
    "You are an experienced backend engineer. Reply with working code and a brief explanation.",
    "Du är en hjälpsam kundtjänstassistent. Svara kort och vänligt på svenska.",
    "你是一名专业的客服助手，请用简体中文简洁地回答。",
    "You are a travel assistant who speaks English and Swedish. Answer in the language of the question.",
    "You are Marv, a chatbot that gives correct answers in a sarcastic tone.",
    "Label each support ticket as billing, shipping, technical or other. Reply with the label alone.",
    "You describe photographs for people who cannot see them. Be exact and mention colours.",
    "You are a data analyst. Support every claim with a number and stay under 150 words.",
    "You are a careful tutor. Explain step by step and check the learner's understanding.",
]
VISION_PROMPT = SYSTEM_PROMPTS[7]

USER_NAMES = ["alice", "bjorn", "chen_li", "dana", "elsa", "farid", "greta", "hiro", "ingrid", "wang_fang"]

IMAGE_BASES = [
    "https://images.example.com/u",
    "https://cdn.example.org/media/2024",
    "https://static.example.net/uploads",
    "https://example.com/assets/photos",
]
IMAGE_EXTENSIONS = [".jpg", ".jpeg", ".png", ".webp", ".gif"]


def function_tool(name, description, properties, required):
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": properties, "required": required},
        },
    }


TOOLS = [
    function_tool(
        "lookup_order",
        "Find an order by its number and return its status.",
        {"order_id": {"type": "string", "description": "Order number such as A-20931"}},
        ["order_id"],
    ),
    function_tool(
        "current_weather",
        "The weather right now in a city.",
        {
            "city": {"type": "string", "description": "City and country, e.g. Umeå, Sweden"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        },
        ["city", "unit"],
    ),
    function_tool(
        "search_help_center",
        "Search the help-centre articles.",
        {"query": {"type": "string"}, "limit": {"type": "integer", "minimum": 1, "maximum": 25}},
        ["query"],
    ),
    function_tool(
        "exchange_rate",
        "Convert an amount of money from one currency to another.",
        {"amount": {"type": "number"}, "from": {"type": "string"}, "to": {"type": "string"}},
        ["amount", "from", "to"],
    ),
    function_tool(
        "book_table",
        "Reserve a restaurant table.",
        {
            "restaurant": {"type": "string"},
            "people": {"type": "integer", "minimum": 1},
            "time": {"type": "string", "description": "ISO 8601 local time"},
        },
        ["restaurant", "people", "time"],
    ),
]

CITIES = ["Umeå, Sweden", "Göteborg, Sweden", "Malmö, Sweden", "北京, China", "Chengdu, China",
          "Oslo, Norway", "Toronto, Canada", "Lisbon, Portugal"]

# Planted faults: kind -> the severity a validator of the OpenAI / Azure rules should report.
FAULTS = {
    "invalid_json": "error",            # cut short, a trailing comma, or single quotes
    "invalid_utf8": "error",            # a byte sequence that is not UTF-8 inside a string
    "bad_role": "error",                # a role the service does not know
    "weight_2": "error",                # a weight other than 0 or 1
    "weight_on_user": "error",          # a weight on a message that is not the assistant's
    "missing_assistant": "error",       # no assistant message to learn from
    "image_in_assistant": "error",      # an image part in an assistant message
    "image_url_bad_scheme": "error",    # an image URL that is not http(s) or a data: URL
    "missing_content": "error",         # a user message without content
    "messages_not_list": "error",       # "messages" is an object, or the key is misspelt
    "tool_call_id_mismatch": "error",   # a tool reply to a call id that was never made
    "tool_arguments_not_json": "error",  # tool-call arguments that do not parse as JSON
    "unknown_message_key": "warning",   # a message key the format does not have
    "blank_line": "warning",            # an empty line between records
    "duplicate_example": "warning",     # the record before, once more
    "over_token_limit": "warning",      # one record far beyond the context length
    "crlf": "warning",                  # a line ending in CRLF
}

# ---------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------


class Writer:
    """Sentences drawn from pools built once per language: building every sentence afresh would
    make the generator, not the disk, the slow part of writing half a gigabyte."""

    POOL_SIZES = {"en": 6000, "sv": 4000, "zh": 4000}

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.pools = {
            "en": [self._latin(ENGLISH, 6, 22) for _ in range(self.POOL_SIZES["en"])],
            "sv": [self._latin(SWEDISH, 5, 18) for _ in range(self.POOL_SIZES["sv"])],
            "zh": [self._chinese() for _ in range(self.POOL_SIZES["zh"])],
        }

    def _latin(self, words, fewest, most):
        rng = self.rng
        sentence = rng.choices(words, k=rng.randint(fewest, most))
        if rng.random() < 0.15:
            number = rng.choice([str(rng.randint(2, 99)), str(rng.randint(100, 250000)),
                                 f"{rng.uniform(0, 999):.2f}", f"{rng.randint(1, 100)}%"])
            sentence.insert(rng.randrange(len(sentence)), number)
        if rng.random() < 0.05:
            sentence.insert(rng.randrange(len(sentence)), f"#{rng.randint(1000, 99999)}")
        text = " ".join(sentence)
        text = text[0].upper() + text[1:]
        if rng.random() < 0.08:
            text += " " + rng.choice(EMOJI)
        return text + rng.choices(".?!:", weights=[80, 12, 6, 2])[0]

    def _chinese(self):
        rng = self.rng
        text = "".join(rng.choices(CHINESE, k=rng.randint(4, 14)))
        if rng.random() < 0.1:
            text += str(rng.randint(1, 2025))
        if rng.random() < 0.08:
            text += rng.choice(EMOJI)
        return text + rng.choices("。？！，", weights=[80, 10, 6, 4])[0]

    def paragraph(self, language, fewest, most):
        rng = self.rng
        count = rng.randint(fewest, most)
        if language == "mix":
            return " ".join(rng.choice(self.pools[rng.choice(("en", "en", "sv", "zh"))]) for _ in range(count))
        joiner = "" if language == "zh" else " "
        return joiner.join(rng.choices(self.pools[language], k=count))

    def question(self, language):
        text = self.paragraph(language, 1, 3)
        if self.rng.random() < 0.1:
            text += " " + self.rng.choice(EMOJI)
        return text

    def answer(self, language, long=False):
        """Paragraphs, now and then a numbered list or a code block; a long answer has dozens."""
        rng = self.rng
        if long:
            blocks = [self.paragraph(language, 6, 14) for _ in range(rng.randint(20, 60))]
        else:
            count = rng.choices([1, 2, 3, 4], weights=[45, 30, 15, 10])[0]
            blocks = [self.paragraph(language, 1, 5) for _ in range(count)]
        if rng.random() < 0.18:
            items = "\n".join(f"{n}. {self.paragraph(language, 1, 1)}" for n in range(1, rng.randint(3, 6)))
            blocks.insert(rng.randrange(len(blocks) + 1), items)
        if rng.random() < 0.12:
            blocks.insert(rng.randrange(len(blocks) + 1), rng.choice(CODE_BLOCKS))
        if rng.random() < 0.05:
            blocks.append(rng.choice(EMOJI) * rng.randint(1, 3))
        return "\n\n".join(blocks)


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


def language(rng):
    return rng.choices(["en", "sv", "zh", "mix"], weights=[55, 20, 15, 10])[0]


def new_call_id(rng):
    return "call_" + "".join(rng.choices(string.ascii_letters + string.digits, k=24))


def chat(rng, writer, weighted=False, named=False, long=False):
    lang = language(rng)
    messages = []
    if rng.random() < 0.7:
        messages.append({"role": "system", "content": rng.choice(SYSTEM_PROMPTS)})
    turns = rng.choices([1, 2, 3, 4, 5], weights=[40, 25, 15, 12, 8])[0]
    for turn in range(turns):
        last = turn == turns - 1
        user = {"role": "user", "content": writer.question(lang)}
        if named:
            user["name"] = rng.choice(USER_NAMES)
        assistant = {"role": "assistant", "content": writer.answer(lang, long=long and last)}
        if weighted:
            assistant["weight"] = 1 if last else rng.choice([0, 1])
        messages += [user, assistant]
    return {"messages": messages}


def image_part(rng):
    image = {"url": f"{rng.choice(IMAGE_BASES)}/{rng.randint(10**7, 10**8 - 1)}{rng.choice(IMAGE_EXTENSIONS)}"}
    if rng.random() < 0.6:
        image["detail"] = rng.choice(["low", "high", "auto"])
    return {"type": "image_url", "image_url": image}


def vision(rng, writer):
    lang = rng.choice(["en", "en", "sv", "zh"])
    messages = []
    if rng.random() < 0.6:
        messages.append({"role": "system", "content": VISION_PROMPT})
    parts = [{"type": "text", "text": writer.question(lang)}]
    parts += [image_part(rng) for _ in range(rng.choices([1, 2, 3], weights=[75, 18, 7])[0])]
    messages.append({"role": "user", "content": parts})
    messages.append({"role": "assistant", "content": writer.answer(lang)})
    if rng.random() < 0.3:
        messages.append({"role": "user", "content": [{"type": "text", "text": writer.question(lang)}]})
        messages.append({"role": "assistant", "content": writer.answer(lang)})
    return {"messages": messages}


def call_arguments(rng, name):
    if name == "lookup_order":
        return {"order_id": f"A-{rng.randint(10000, 99999)}"}
    if name == "current_weather":
        return {"city": rng.choice(CITIES), "unit": rng.choice(["celsius", "fahrenheit"])}
    if name == "search_help_center":
        return {"query": rng.choice(["change password", "ångerrätt", "API rate limits", "退货政策"]),
                "limit": rng.randint(1, 10)}
    if name == "exchange_rate":
        return {"amount": round(rng.uniform(1, 9000), 2), "from": rng.choice(["SEK", "EUR", "USD"]),
                "to": rng.choice(["CNY", "NOK", "GBP"])}
    return {"restaurant": rng.choice(["Trattoria Sole", "Krogen Älven", "川味小馆"]),
            "people": rng.randint(1, 8), "time": f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T19:30"}


def call_result(rng, name, arguments):
    if name == "lookup_order":
        return {"order_id": arguments["order_id"], "status": rng.choice(["packed", "in_transit", "delivered"]),
                "days_left": rng.randint(0, 6)}
    if name == "current_weather":
        return {"city": arguments["city"], "temperature": rng.randint(-30, 33), "unit": arguments["unit"],
                "sky": rng.choice(["clear", "snow", "drizzle", "多云", "mulet"])}
    if name == "search_help_center":
        return {"articles": [{"title": f"Article {n}", "relevance": round(rng.random(), 3)}
                             for n in range(arguments["limit"])]}
    if name == "exchange_rate":
        return {"converted": round(arguments["amount"] * rng.uniform(0.08, 11), 2), "currency": arguments["to"]}
    return {"confirmed": rng.random() < 0.9, "reference": f"R{rng.randint(100000, 999999)}"}


def with_tools(rng, writer):
    lang = rng.choice(["en", "en", "sv", "zh"])
    tools = rng.sample(TOOLS, k=rng.randint(1, len(TOOLS)))
    messages = []
    if rng.random() < 0.7:
        messages.append({"role": "system", "content": SYSTEM_PROMPTS[rng.choice([0, 4, 8])]})
    messages.append({"role": "user", "content": writer.question(lang)})
    calls, replies = [], []
    for _ in range(rng.choices([1, 2, 3], weights=[78, 18, 4])[0]):
        name = rng.choice(tools)["function"]["name"]
        arguments = call_arguments(rng, name)
        call_id = new_call_id(rng)
        calls.append({"id": call_id, "type": "function",
                      "function": {"name": name, "arguments": json.dumps(arguments, ensure_ascii=False)}})
        replies.append({"role": "tool", "tool_call_id": call_id,
                        "content": json.dumps(call_result(rng, name, arguments), ensure_ascii=False)})
    assistant = {"role": "assistant", "tool_calls": calls}
    if rng.random() < 0.5:
        assistant["content"] = None
    if rng.random() < 0.2:
        assistant["weight"] = 1
    messages.append(assistant)
    messages += replies
    messages.append({"role": "assistant", "content": writer.answer(lang)})
    record = {"messages": messages, "tools": tools}
    if len(calls) > 1 or rng.random() < 0.1:
        record["parallel_tool_calls"] = len(calls) > 1
    return record


def legacy_functions(rng, writer):
    function = rng.choice(TOOLS)["function"]
    arguments = call_arguments(rng, function["name"])
    return {
        "messages": [
            {"role": "user", "content": writer.question("en")},
            {"role": "assistant", "function_call": {"name": function["name"], "arguments": json.dumps(arguments)}},
            {"role": "function", "name": function["name"],
             "content": json.dumps(call_result(rng, function["name"], arguments))},
            {"role": "assistant", "content": writer.answer("en")},
        ],
        "functions": [function],
    }


KINDS = {
    "chat": (52, lambda rng, w: chat(rng, w)),
    "weighted": (15, lambda rng, w: chat(rng, w, weighted=True)),
    "tools": (12, with_tools),
    "vision": (10, vision),
    "named": (5, lambda rng, w: chat(rng, w, named=True)),
    "long": (4, lambda rng, w: chat(rng, w, long=True)),
    "legacy": (2, legacy_functions),
}
KIND_NAMES = list(KINDS)
KIND_WEIGHTS = [weight for weight, _ in KINDS.values()]


def record(rng, writer, mix):
    if mix == "text":
        # Plain text chat only, which older validators accept in full.
        return chat(rng, writer, long=rng.random() < 0.04)
    kind = rng.choices(KIND_NAMES, weights=KIND_WEIGHTS)[0]
    return KINDS[kind][1](rng, writer)


def encode(rng, value):
    escaped = rng.random() < 0.3
    compact = rng.random() < 0.5
    return json.dumps(value, ensure_ascii=escaped, separators=(",", ":") if compact else None).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Faults
# ---------------------------------------------------------------------------------------------


def first(messages, role):
    return next((i for i, message in enumerate(messages) if message.get("role") == role), None)


def faulty_line(kind, rng, writer, previous):
    """The bytes of one line with the fault `kind`, and the line ending to write after it."""
    if kind == "blank_line":
        return b"", b"\n"
    if kind == "duplicate_example":
        return previous, b"\n"
    if kind == "crlf":
        return encode(rng, chat(rng, writer)), b"\r\n"
    if kind == "over_token_limit":
        value = chat(rng, writer)
        # About 100,000 tokens, past every model's context length.
        value["messages"][-1]["content"] = "\n\n".join(writer.paragraph("en", 10, 16) for _ in range(700))
        return encode(rng, value), b"\n"
    if kind == "invalid_json":
        line = encode(rng, chat(rng, writer))
        how = rng.choice(["cut", "trailing_comma", "single_quotes"])
        if how == "cut":
            return line[: max(10, len(line) - rng.randint(1, 40))], b"\n"
        if how == "trailing_comma":
            return (line[:-2] + b",]}" if line.endswith(b"]}") else line[:-1] + b",}"), b"\n"
        return line.replace(b'"role"', b"'role'", 1), b"\n"
    if kind == "invalid_utf8":
        line = encode(rng, chat(rng, writer))
        key = line.find(b'"content"')
        inside = line.find(b'"', key + len(b'"content"')) + 1
        broken = rng.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xe2\x82", b"\x80", b"\xf0\x9f\x98"])
        return line[:inside] + broken + line[inside:], b"\n"

    if kind in ("image_in_assistant", "image_url_bad_scheme"):
        value = vision(rng, writer)
    elif kind in ("tool_call_id_mismatch", "tool_arguments_not_json"):
        value = with_tools(rng, writer)
    else:
        value = chat(rng, writer, weighted=kind == "weight_2")
    messages = value["messages"]
    if kind == "bad_role":
        index = rng.choice([i for i, m in enumerate(messages) if m["role"] in ("user", "assistant")])
        messages[index]["role"] = rng.choice(["bot", "Assistant", "human", "model", "USER", "ai"])
    elif kind == "weight_2":
        messages[first(messages, "assistant")]["weight"] = rng.choice([2, -1, 0.5, "1", True])
    elif kind == "weight_on_user":
        messages[first(messages, "user")]["weight"] = rng.choice([0, 1])
    elif kind == "missing_assistant":
        value["messages"] = [m for m in messages if m["role"] != "assistant"]
    elif kind == "image_in_assistant":
        assistant = messages[first(messages, "assistant")]
        assistant["content"] = [{"type": "text", "text": assistant["content"]}, image_part(rng)]
    elif kind == "image_url_bad_scheme":
        user = messages[first(messages, "user")]
        image = next(part for part in user["content"] if part["type"] == "image_url")
        image["image_url"]["url"] = rng.choice(["ftp://files.example.com/photo.jpg",
                                                "file:///home/me/Pictures/photo.jpg", "photos/photo.jpg"])
    elif kind == "missing_content":
        del messages[first(messages, "user")]["content"]
    elif kind == "messages_not_list":
        if rng.random() < 0.5:
            value = {"messages": {str(i): m for i, m in enumerate(messages)}}
        else:
            value = {"message": messages}
    elif kind == "tool_call_id_mismatch":
        messages[first(messages, "tool")]["tool_call_id"] = new_call_id(rng)
    elif kind == "tool_arguments_not_json":
        function = messages[first(messages, "assistant")]["tool_calls"][0]["function"]
        arguments = function["arguments"]
        function["arguments"] = arguments[:-1] if rng.random() < 0.5 else arguments.replace('"', "'")
    elif kind == "unknown_message_key":
        key = rng.choice(["timestamp", "contnet", "metadata", "id"])
        messages[rng.randrange(len(messages))][key] = "2024-05-01T12:00:00Z"
    else:
        raise ValueError(f"no such fault: {kind}")
    return encode(rng, value), b"\n"


# ---------------------------------------------------------------------------------------------
# The file
# ---------------------------------------------------------------------------------------------


def arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, required=True, help="the file's size at most, in --unit")
    parser.add_argument("--unit", choices=["MiB", "MB"], default="MiB")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bom", action="store_true", help="begin the file with a UTF-8 byte order mark")
    parser.add_argument("--bad-rate", type=float, default=0.0, help="share of lines given one planted fault")
    parser.add_argument("--faults", default=",".join(FAULTS), help="the fault kinds to plant, comma-separated")
    parser.add_argument("--mix", choices=["full", "text"], default="full",
                        help="full: the realistic mix above; text: plain text chat only")
    parser.add_argument("--max-huge", type=int, default=3, help="at most this many over_token_limit lines")
    parser.add_argument("--out", default=None, help="default: /tmp/ftdata/ft_<mb><unit>_s<seed>.jsonl")
    parser.add_argument("--manifest", default=None, help="default: OUT.faults.json")
    args = parser.parse_args(argv)
    args.kinds = [kind for kind in args.faults.split(",") if kind]
    unknown = [kind for kind in args.kinds if kind not in FAULTS]
    if unknown:
        parser.error(f"unknown fault kind {unknown[0]!r}; the kinds are: {', '.join(FAULTS)}")
    return args


def main(argv=None):
    args = arguments(argv)
    limit = int(args.mb * (1 << 20 if args.unit == "MiB" else 1_000_000))
    out = args.out or f"/tmp/ftdata/ft_{args.mb:g}{args.unit.lower()}_s{args.seed}{'_bom' if args.bom else ''}.jsonl"
    manifest = args.manifest or out + ".faults.json"
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)

    # Text and structure draw from separate generators, so the sentence pools do not depend on how
    # many records came before.
    rng = random.Random(args.seed)
    writer = Writer(random.Random(args.seed * 7919 + 17))
    faults = []
    lines = written = huge = 0
    previous = b""
    started = time.time()
    with open(out, "wb", buffering=1 << 22) as f:
        if args.bom:
            f.write(b"\xef\xbb\xbf")
            written = 3
        while True:
            kind = None
            if args.kinds and args.bad_rate > 0 and lines > 0 and rng.random() < args.bad_rate:
                kind = rng.choice(args.kinds)
                if kind == "over_token_limit":
                    if huge < args.max_huge:
                        huge += 1
                    else:
                        kind = rng.choice([k for k in args.kinds if k != "over_token_limit"] or [None])
            if kind:
                line, ending = faulty_line(kind, rng, writer, previous)
            else:
                line, ending = encode(rng, record(rng, writer, args.mix)), b"\n"
            if written + len(line) + len(ending) > limit:
                break
            f.write(line)
            f.write(ending)
            written += len(line) + len(ending)
            lines += 1
            if kind:
                faults.append({"line": lines, "kind": kind, "severity": FAULTS[kind]})
            else:
                # A duplicate repeats a valid record, never a faulty one.
                previous = line
    by_kind = {}
    for fault in faults:
        by_kind[fault["kind"]] = by_kind.get(fault["kind"], 0) + 1
    summary = {
        "file": out, "mix": args.mix, "bytes": written, "lines": lines, "bom": args.bom, "seed": args.seed,
        "bad_rate": args.bad_rate, "valid_examples": lines - len(faults), "faults_total": len(faults),
        "faults_by_kind": by_kind, "errors_total": sum(1 for f in faults if f["severity"] == "error"),
        "gen_seconds": round(time.time() - started, 2),
    }
    with open(manifest, "w", encoding="utf-8") as f:
        json.dump({**summary, "faults": faults}, f, indent=1)
    print(json.dumps(summary, ensure_ascii=False), file=sys.stderr)


if __name__ == "__main__":
    main()
