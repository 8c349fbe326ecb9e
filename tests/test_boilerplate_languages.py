import pytest

from bilat_analysis.corpus import split_boilerplate

FURNITURE = [
    "Also read: India, France sign roadmap",
    "Lire aussi : l'Inde et la France",
    "Leer más",
    "Lesen Sie auch: Baerbock in Peking",
    "Leggi anche",
    "Leia também: Lula em Pequim",
    "Читайте также",
    "اقرأ أيضا: ماكرون في الرياض",
    "相关新闻：",
    "相關新聞",
    "関連記事",
    "Baca juga: Menlu RI bertemu Menlu Jepang",
    "Xem thêm: Hà Nội",
    "Ayrıca okuyun",
    "İlgili haberler",
    "Teilen",
    "Paylaş",
]

BODY = [
    "شارك الوزير في الاجتماع.",
    "Chia sẻ với báo chí, ông Bộ trưởng cho biết hai bên đã ký kết.",
    "Paylaşılan bilgilere göre iki bakan Ankara'da görüştü.",
    "Teilen sich beide Länder die Verantwortung?",
    "Compartiremos más información mañana, dijo el ministro.",
]


@pytest.mark.parametrize("paragraph", FURNITURE)
def test_furniture_in_every_language_is_taken_out(paragraph):
    assert split_boilerplate([paragraph, "India and France met."], None) == (
        ["India and France met."],
        [paragraph],
    )


@pytest.mark.parametrize("paragraph", BODY)
def test_a_sentence_starting_like_furniture_stays(paragraph):
    assert split_boilerplate([paragraph, "India and France met."], None)[1] == []
