"""One script per output, names as their owners write them."""

from __future__ import annotations

from copilot.skills.language import localize


def test_a_traditional_post_converts_the_text_but_never_respells_a_name() -> None:
    text = "欢迎加入岩舍抱石館！报名找 Cherry 岩舍前台"
    keep = ["岩舍抱石館", "Cherry 岩舍前台"]
    assert localize(text, "zh-hant", keep) == "歡迎加入岩舍抱石館！報名找 Cherry 岩舍前台"
    # without the names OpenCC writes the Hong Kong gym's 岩 as 巖
    assert "巖舍" in localize(text, "zh-hant")
    # a simplified post keeps a traditional name too; English text is left alone
    assert localize("歡迎加入岩舍抱石館", "zh", keep) == "欢迎加入岩舍抱石館"
    assert localize("Welcome to 岩舍", "en", keep) == "Welcome to 岩舍"


def test_text_already_in_traditional_is_left_as_its_source_wrote_it() -> None:
    # a Hong Kong member's message: 盃 and 會 say it is Traditional, so its 岩 stays
    assert localize("岩舍盃會唔會有直播？", "zh-hant") == "岩舍盃會唔會有直播？"
    # a simplified template around it is converted
    assert localize("本周精华回顾来啦：岩舍盃會唔會有直播？", "zh-hant") == (
        "本週精華回顧來啦：岩舍盃會唔會有直播？"
    )
    assert localize("群规：进群请改昵称", "zh-hant") == "群規：進群請改暱稱"
