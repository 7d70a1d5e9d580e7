"""Traditional Chinese characters folded to their simplified forms, for comparing place names.

Not a full converter (that needs a dictionary of words): a small table of characters that
occur in Chinese place names — landforms and water, buildings, districts and directions,
common place-name words and surnames in village names — so that `鳳凰山` and `凤凰山`,
`長江大橋` and `长江大桥` read as the same place. A character missing here only means two
spellings are not matched by name; map points still match them. Each pair is one
traditional character and its simplified form; characters that are both (`台`, `谷`) or
whose simplified form is ambiguous (`乾`) are left out on purpose.
"""

from __future__ import annotations

_PAIRS = (
    # landforms and water
    "島岛 嶼屿 灣湾 灘滩 濱滨 澗涧 溝沟 壩坝 嶺岭 巒峦 峽峡 崗岗 岡冈 峯峰 嶽岳 磯矶 礫砾 "
    "湧涌 澤泽 濤涛 溫温 灃沣 渦涡 濕湿 淺浅 濁浊 涼凉 灤滦 潯浔 湯汤 穀谷 "
    # buildings and works
    "橋桥 門门 館馆 場场 廠厂 園园 圍围 樓楼 寶宝 閣阁 廟庙 禪禅 觀观 築筑 礦矿 鐵铁 "
    "鋼钢 碼码 驛驿 護护 衛卫 環环 欄栏 檯台 臺台 "
    # districts, directions, roads
    "區区 縣县 鄉乡 鎮镇 莊庄 營营 國国 寧宁 東东 邊边 後后 裡里 裏里 頭头 頂顶 線线 綫线 "
    "車车 運运 連连 聯联 進进 過过 達达 遠远 還还 際际 陸陆 隊队 鄰邻 舊旧 層层 寬宽 "
    "長长 關关 陽阳 陰阴 廣广 華华 興兴 開开 發发 電电 號号 處处 點点 隴陇 "
    # provinces and cities
    "蘇苏 閩闽 贛赣 粵粤 瓊琼 遼辽 陝陕 貴贵 滬沪 漢汉 蘭兰 瀋沈 廈厦 濟济 蕪芜 薊蓟 萊莱 "
    # common place-name words
    "龍龙 鳳凤 雲云 靈灵 雙双 萬万 豐丰 義义 順顺 黃黄 紅红 綠绿 藍蓝 銀银 錦锦 風风 飛飞 "
    "馬马 鳥鸟 魚鱼 龜龟 鶴鹤 鷹鹰 鵬鹏 獅狮 雞鸡 麗丽 齊齐 樂乐 壽寿 聖圣 歷历 匯汇 滙汇 "
    "會会 漁渔 鹽盐 糧粮 葉叶 蓮莲 蘆芦 楓枫 櫻樱 樹树 橫横 瑤瑶 無无 氣气 實实 壯壮 "
    "堅坚 險险 隱隐 靜静 學学 圖图 "
    # surnames in village names
    "劉刘 張张 陳陈 楊杨 趙赵 吳吴 鄭郑 謝谢 羅罗 蕭萧 許许 賀贺 顏颜 歐欧"
)

TRADITIONAL_TO_SIMPLIFIED: dict[int, str] = {
    ord(pair[0]): pair[1] for pair in _PAIRS.split() if pair[0] != pair[1]
}


def simplified(text: str) -> str:
    """`text` with the table's traditional characters in their simplified forms."""
    return text.translate(TRADITIONAL_TO_SIMPLIFIED)
