"""The outline of pasted material: raw web articles, Q/A FAQs, tables, hard-wrapped Markdown."""

from __future__ import annotations

from copilot.knowledge.chunking import split_markdown
from copilot.knowledge.html_text import html_to_text
from copilot.knowledge.structure import read_outline
from copilot.tokens import count_tokens

# A web article as an operator pastes it: the title three times, a date line, a byline,
# headings numbered 一、 and 1., a list in 1、, a promotional tail after the disclaimer.
RAW_ARTICLE = """同城宠物社群怎么运营
2025-03-02 10:15:00
同城宠物社群怎么运营
同城宠物社群怎么运营
作者：阿福
同城宠物社群是指同一个城市里养宠物的人组成的交流群，大家分享养宠经验、一起组织活动。
一、社群的三种角色
1. 群主
群主负责制定群规，审核新人入群。
2. 志愿者
志愿者帮忙组织线下遛狗局，每次活动至少两位志愿者到场。
3. 普通成员
普通成员可以参加所有活动，每月按时打卡可以攒积分。
二、积分怎么用
积分可以兑换以下三种奖励：
1、宠物零食一份（50积分）
2、免费洗澡一次（120积分）
3、年度活动优先报名权（300积分）
免责声明：本文仅供参考
上一篇：如何选猫粮
扫码添加客服微信，领取养宠大礼包
"""


def test_raw_article_keeps_content_and_drops_repeats_dates_bylines_and_chrome() -> None:
    outline = read_outline(RAW_ARTICLE, title="000_a1b2c3")
    assert outline.title == "同城宠物社群怎么运营"
    texts = [b.text for b in outline.blocks]
    assert "同城宠物社群怎么运营" not in texts  # the repeated title is gone
    assert not any("2025-03-02" in t or "阿福" in t for t in texts)
    assert not any("免责声明" in t or "扫码" in t or "上一篇" in t for t in texts)
    headings = [(b.level, b.text) for b in outline.blocks if b.kind == "heading"]
    assert headings == [
        (1, "社群的三种角色"),
        (2, "群主"),
        (2, "志愿者"),
        (2, "普通成员"),
        (1, "积分怎么用"),
    ]
    items = [b for b in outline.blocks if b.kind == "item"]
    assert [b.text for b in items] == [
        "宠物零食一份（50积分）",
        "免费洗澡一次（120积分）",
        "年度活动优先报名权（300积分）",
    ]
    assert {b.lead for b in items} == {"积分可以兑换以下三种奖励："}


NEWSLETTER = """View in browser | Unsubscribe

THE ROAST SHEET -- news from a small roastery

Resting your coffee

Filter roasts are best from day 5 to day 21 after the roast date.

Espresso roasts want a little longer: give them a week.

Keep the bag closed, somewhere cool and dark, never in the fridge.

Happy brewing,

Forward to a friend | Update your preferences | Unsubscribe
You're receiving this email because you subscribed at example.coffee.
Example Roasters Ltd. Registered in England and Wales no. 1234.
View in browser | Unsubscribe
"""


def test_a_pasted_newsletter_loses_its_links_and_footer() -> None:
    outline = read_outline(NEWSLETTER, title="roast-sheet")
    shown = " ".join([outline.title, *(b.text for b in outline.blocks)])
    assert "day 5 to day 21" in shown
    for chrome in ("View in browser", "Unsubscribe", "receiving this email", "Registered in"):
        assert chrome not in shown, chrome


def test_a_heading_with_sub_headings_gets_an_overview_listing_them() -> None:
    pieces = split_markdown(RAW_ARTICLE, max_tokens=200)
    (overview,) = [p for p in pieces if p.meta.get("overview") and p.heading.endswith("三种角色")]
    assert [u.text.split("：")[0] for u in overview.units] == ["群主", "志愿者", "普通成员"]
    assert all(u.kind == "item" for u in overview.units)


def test_qa_lines_become_pairs_and_wrapped_answers_are_joined() -> None:
    faq = (
        "# FAQ\n\nQ: Can I get a refund?\nA: Refunds go through Steam's normal policy (within\n"
        "   14 days of purchase and under 2 hours played).\n\n问：可以开发票吗？\n答：可以，"
        "付款后 30 天内联系客服。\n"
    )
    pairs = [(b.key, b.text) for b in read_outline(faq).blocks if b.kind == "qa"]
    assert pairs == [
        (
            "Can I get a refund?",
            "Refunds go through Steam's normal policy (within 14 days of purchase and under 2 "
            "hours played).",
        ),
        ("可以开发票吗？", "可以，付款后 30 天内联系客服。"),
    ]


def test_traditional_and_full_width_faq_lines_are_pairs_too() -> None:
    faq = (
        "會員問答\n\n問：中途退會可唔可以退返年費？\n答：唔會退，會籍維持到 12 月 31 日。\n\n"
        "Ｑ１．有冇發票？\nＡ１．有，付款後一星期內寄出。\n"
    )
    pairs = [(b.key, b.text) for b in read_outline(faq).blocks if b.kind == "qa"]
    assert pairs == [
        ("中途退會可唔可以退返年費？", "唔會退，會籍維持到 12 月 31 日。"),
        ("有冇發票？", "有，付款後一星期內寄出。"),
    ]


def test_a_drawn_rule_ends_the_last_answer_so_the_page_footer_is_not_part_of_it() -> None:
    faq = (
        "常见问题\n\nQ: 可以带宠物吗？\nA: 可以，小型犬要牵绳。\n\n"
        "——————————————\n书店地址：青年路 8 号 2 楼\n本文档由店员维护\n"
    )
    blocks = read_outline(faq).blocks
    assert [(b.key, b.text) for b in blocks if b.kind == "qa"] == [
        ("可以带宠物吗？", "可以，小型犬要牵绳。")
    ]
    assert any("青年路 8 号" in b.text for b in blocks if b.kind == "para")  # kept, on its own
    assert not any("——" in b.text for b in blocks)


def test_faq_lines_after_a_labelled_line_are_still_pairs() -> None:
    faq = "常見問題\n最後更新：2026/10/20\n\nQ: 下雨怎麼辦？\nA: 小雨照常。\n\n"
    faq += "Q: 要繳費嗎？\nA: 年費 NT$600。\n"
    pairs = [(b.key, b.text) for b in read_outline(faq).blocks if b.kind == "qa"]
    assert pairs == [("下雨怎麼辦？", "小雨照常。"), ("要繳費嗎？", "年費 NT$600。")]


def test_a_last_updated_stamp_is_no_content() -> None:
    text = "常見問題\n（最後更新：2026/10/20，小魚整理）\n\n入會請先填表。\n\n"
    text += "Last updated 5 November 2026\n"
    assert [b.text for b in read_outline(text).blocks] == ["入會請先填表。"]


def test_a_wechat_articles_follow_prompts_and_byline_are_no_content() -> None:
    text = (
        "爪印积分规则\n\n原创 阿Ken 蓉城毛孩子 2025-07-02 10:20 四川\n\n"
        '点击上方蓝字"蓉城毛孩子"关注我们\n\n一、怎么攒爪印\n\n1、带新人参加活动：+20\n\n'
        "点击报名后请留意群公告。\n\n点赞前三名的作品将被置顶一周。\n\n往期推荐\n\n新人入群五步走\n"
    )
    blocks = read_outline(text).blocks
    said = " ".join(b.text + b.lead for b in blocks)
    assert "带新人参加活动：+20" in said and "点击报名后请留意群公告。" in said
    assert "点赞前三名的作品将被置顶一周。" in said  # a rule, not a follow prompt
    for chrome in ("关注我们", "原创", "2025-07-02", "往期推荐", "新人入群五步走"):
        assert chrome not in said


def test_tables_become_rows_that_read_with_their_header() -> None:
    text = (
        "| 产品 | 规格 | 价格 |\n|---|---|---|\n"
        "| 明前龙井 | 100g | 168元 |\n| 正山小种 | 250g | 88元 |\n\n"
        "产品\t规格\t会员价\n白毫银针\t50g\t199元\n凤凰单丛\t100g\t129元\n"
    )
    rows = [b.text for b in read_outline(text).blocks if b.kind == "row"]
    assert rows == [
        "产品: 明前龙井；规格: 100g；价格: 168元",
        "产品: 正山小种；规格: 250g；价格: 88元",
        "产品: 白毫银针；规格: 50g；会员价: 199元",
        "产品: 凤凰单丛；规格: 100g；会员价: 129元",
    ]


def test_hard_wrapped_markdown_paragraphs_and_items_are_one_line_each() -> None:
    text = (
        "# Playtests\n\n"
        "Playtests happen live: everyone plays the same build at the same time while\n"
        "a developer hosts in voice chat.\n\n- If you sign up and then miss two sessions without\n"
        "  telling us, you lose the role for 60 days.\n- Saves do not carry over.\n"
    )
    blocks = [(b.kind, b.text) for b in read_outline(text).blocks if b.kind != "heading"]
    assert blocks == [
        (
            "para",
            "Playtests happen live: everyone plays the same build at the same time while a "
            "developer hosts in voice chat.",
        ),
        (
            "item",
            "If you sign up and then miss two sessions without telling us, you lose the role "
            "for 60 days.",
        ),
        ("item", "Saves do not carry over."),
    ]


def test_steps_numbered_in_chinese_numerals_are_the_items_of_one_list() -> None:
    text = "入群流程\n按下面三步走：\n第一步：扫码申请进群\n第二步，改群名片\n第三步 发自我介绍\n"
    items = [b for b in read_outline(text).blocks if b.kind == "item"]
    assert [b.text for b in items] == ["扫码申请进群", "改群名片", "发自我介绍"]
    assert len({b.group for b in items}) == 1


def test_labelled_lines_are_a_list_under_the_line_that_introduces_them() -> None:
    text = "答疑安排\n每个月按周轮换科目：\n第一个周日：数学\n第二个周日：英语\n第三个周日：政治\n"
    items = [b for b in read_outline(text).blocks if b.kind == "item"]
    assert [b.text for b in items] == ["第一个周日：数学", "第二个周日：英语", "第三个周日：政治"]
    assert items[0].lead == "每个月按周轮换科目："


def test_a_sub_list_under_an_item_ending_with_a_colon_is_led_by_that_item() -> None:
    text = (
        "值班规则\n1、每月至少值班2次。\n2、值班内容：\n（1）清理猫砂盆；\n（2）按喂食表喂食；\n"
        "3、临时不能来提前24小时说。\n"
    )
    items = [b for b in read_outline(text).blocks if b.kind == "item"]
    subs = [b for b in items if b.text in ("清理猫砂盆；", "按喂食表喂食；")]
    assert [b.lead for b in subs] == ["值班内容：", "值班内容："]
    # the parent list goes on after the sub-list, as one list
    parents = [b for b in items if b not in subs]
    assert len(parents) == 3 and len({(b.group, b.lead) for b in parents}) == 1
    assert parents[0].lead != "值班内容："


def test_a_paragraph_without_punctuation_is_cut_into_bounded_chunks_and_units() -> None:
    run_on = "".join(f"第{i}次大家一起遛狗然后拍照分享" for i in range(400))  # no punctuation
    pieces = split_markdown("# 活动记录\n" + run_on, max_tokens=120)
    assert len(pieces) >= count_tokens(run_on) // 120 and all(
        count_tokens(p.text) <= 120 for p in pieces
    )
    assert all(len(u.text) <= 160 for p in pieces for u in p.units)
    assert "".join(p.text for p in pieces) == run_on  # nothing lost, nothing added


def test_an_html_table_becomes_rows_that_read_with_their_header() -> None:
    # A wiki page's price table: each <tr> on its own, cells in <td>, the header in <th>.
    html = (
        "<html><body><h1>團購價目表</h1><p>價錢已包送貨。</p><table>"
        "<tr><th>品項</th><th>規格</th><th>團購價</th></tr>"
        "<tr><td>燕麥奶 <b>Barista</b></td><td>1L × 12 盒</td><td>276 / 箱</td></tr>"
        "<tr><td>全脂鮮奶</td><td>2L × 6 支</td><td>198 / 箱</td></tr>"
        "</table><p>備註：逢星期二送。</p></body></html>"
    )
    _, text = html_to_text(html)
    rows = [b.text for b in read_outline(text).blocks if b.kind == "row"]
    assert rows == [
        "品項: 燕麥奶 Barista；規格: 1L × 12 盒；團購價: 276 / 箱",
        "品項: 全脂鮮奶；規格: 2L × 6 支；團購價: 198 / 箱",
    ]
    assert "備註：逢星期二送。" in text  # the text after the table is kept as prose


def test_a_one_column_layout_table_stays_prose() -> None:
    _, text = html_to_text(
        "<table><tr><td>Welcome to the wiki.</td></tr><tr><td>Read the rules.</td></tr></table>"
    )
    assert "|" not in text
    assert "Welcome to the wiki." in text and "Read the rules." in text


def test_an_aligned_table_with_long_rows_is_not_read_as_a_wrapped_paragraph() -> None:
    # Pasted from a doc: columns aligned with spaces or tabs, a dashed rule under the header, rows
    # long and unpunctuated enough to look like hard-wrapped prose.
    text = (
        "会费与装备\n\n"
        "项目                       价格          备注\n"
        "-------------------------  ------------  ------------------------\n"
        "年度会员                   180元/年      按自然年计算，含全年团体意外险\n"
        "周六长距离补给费           10元/次       当天现场交，含水、运动饮料、香蕉\n"
        "团服背心                   59元          男女款，颜色为荧光黄\n\n"
        "兑换项目\t所需积分\t说明\n"
        "----------------------------------------\n"
        "纸质错题本\t50\t每人每月限1本，随当月纸质资料一起寄\n"
        "专业课1对1答疑\t100\t30分钟，腾讯会议，只限法硕和管综\n"
    )
    rows = [b.text for b in read_outline(text).blocks if b.kind == "row"]
    assert rows == [
        "项目: 年度会员；价格: 180元/年；备注: 按自然年计算，含全年团体意外险",
        "项目: 周六长距离补给费；价格: 10元/次；备注: 当天现场交，含水、运动饮料、香蕉",
        "项目: 团服背心；价格: 59元；备注: 男女款，颜色为荧光黄",
        "兑换项目: 纸质错题本；所需积分: 50；说明: 每人每月限1本，随当月纸质资料一起寄",
        "兑换项目: 专业课1对1答疑；所需积分: 100；说明: 30分钟，腾讯会议，只限法硕和管综",
    ]


def test_a_hard_wrapped_paragraph_with_two_spaces_after_full_stops_stays_one_paragraph() -> None:
    text = (
        "Members may book the laser for up to ninety minutes.  Bookings open\n"
        "two weeks ahead.  Cancel at least a day before or the slot counts\n"
        "as a no-show.  Three no-shows in sixty days pause booking rights.\n"
    )
    paras = [b.text for b in read_outline(text).blocks if b.kind == "para"]
    assert len(paras) == 1 and paras[0].endswith("pause booking rights."), paras


def test_a_bracketed_title_heads_its_labelled_lines_one_item_each() -> None:
    text = (
        "活动安排\n【乐烧之夜 Raku Night】\n日期：12月12日（周六）\n"
        "时间：18:30—21:30（18:00开始签到）\n地点：后院露天窑区\n"
    )
    blocks = read_outline(text).blocks
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "乐烧之夜 Raku Night"),
        ("item", "日期：12月12日（周六）"),
        ("item", "时间：18:30—21:30（18:00开始签到）"),
        ("item", "地点：后院露天窑区"),
    ]


def test_a_compilers_byline_with_a_note_on_who_they_are_is_no_heading() -> None:
    text = (
        "【越野赛 2026】组团须知\n整理：阿Wing（香港团友，平时周四过关跑质量课）\n\n"
        "各位团友，以下是我整理的资料。\n一、比赛基本资料\n比赛日期：2026年12月13日（星期日）\n"
        "起跑时间：早上 7:30\n"
    )
    blocks = read_outline(text).blocks
    assert not any("阿Wing" in b.text for b in blocks)
    assert [(b.kind, b.text) for b in blocks if "比赛" in b.text] == [
        ("heading", "比赛基本资料"),
        ("item", "比赛日期：2026年12月13日（星期日）"),
    ]


def test_a_rule_starting_with_zhengli_is_content_not_a_byline() -> None:
    text = "工作室守则\n整理：用完把工具归位，泥料放回桶里\n作者：小周\n拉坯机用完要清理。\n"
    texts = [b.text for b in read_outline(text).blocks]
    assert any("工具归位" in t for t in texts), texts
    assert not any("小周" in t for t in texts), texts


SAVED_PAGE = """<html><head><title>Join | Harbour Choir</title></head><body>
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header class="site-header"><p class="site-tagline">Singing since 2009</p>
<nav><ul><li><a href="/">Home</a></li><li><a href="/join/">Join</a></li></ul></nav></header>
<main id="content"><h1>Join the Choir</h1><h2>Fees</h2><p>A term costs $195.</p></main>
<footer><section class="widget"><h4>Rehearsals</h4><p>Tuesdays 7 pm</p></section>
<p>&copy; 2026 Harbour Choir Society</p></footer></body></html>"""


def test_a_saved_web_page_is_read_as_its_main_content() -> None:
    """The site chrome around <main> (skip link, tagline, footer widgets) repeats on every
    page: it used to become the heading of every section ("Skip to content > Join > Fees")
    and a footer section of its own."""
    title, text = html_to_text(SAVED_PAGE)
    assert title == "Join | Harbour Choir"
    assert text.splitlines()[0] == "# Join the Choir"
    assert "A term costs $195." in text
    for chrome in ("Skip to content", "Singing since 2009", "Rehearsals", "©"):
        assert chrome not in text
    # without <main>, the page still loses its skip link and its site header and footer
    _, bare = html_to_text(SAVED_PAGE.replace("<main", "<div").replace("</main>", "</div>"))
    assert "Skip to content" not in bare and "Rehearsals" not in bare
    assert "A term costs $195." in bare


def test_a_run_of_emoji_marked_lines_is_one_list_and_a_lone_emoji_line_stays_prose() -> None:
    text = (
        "考场时间分配\n"
        "以120分钟的卷子为例，建议这样分：\n"
        "✅ 常识判断 10分钟\n"
        "✅ 判断推理 35分钟\n"
        "✅ 剩下5分钟留给检查和涂卡\n"
        "五块加起来一共120分钟，平时模考就按这个节奏练。\n"
        "⚠️ 注意：模考当天不要迟到，迟到十五分钟以上不能进场。\n"
    )
    blocks = read_outline(text).blocks
    items = [b for b in blocks if b.kind == "item"]
    assert [b.text for b in items] == [
        "常识判断 10分钟",
        "判断推理 35分钟",
        "剩下5分钟留给检查和涂卡",
    ]
    assert {b.lead for b in items} == {"以120分钟的卷子为例，建议这样分："}
    assert not [b for b in blocks if b.kind == "heading"]  # the last ✅ line heads nothing
    assert blocks[-1].kind == "para" and blocks[-1].text.startswith("⚠️ 注意")


def test_an_overview_names_what_a_sub_section_lists() -> None:
    text = (
        "判断推理怎么练\n"
        "三、判断推理再往下拆\n"
        "（一）四种题型\n"
        "1. 图形推理\n"
        "2. 定义判断\n"
        "3. 类比推理\n"
        "（二）做题顺序\n"
        "建议先做定义判断，图形推理放最后。\n"
        "四、资料分析\n"
        "资料分析每天至少练二十分钟速算。\n"
    )
    pieces = split_markdown(text, max_tokens=200)
    (overview,) = [p for p in pieces if p.meta.get("overview") and p.heading.endswith("往下拆")]
    assert [u.text for u in overview.units] == [
        "四种题型：图形推理、定义判断、类比推理",
        "做题顺序：建议先做定义判断，图形推理放最后。",
    ]
