"""Libya's 5+5 Joint Military Commission (JMC) and the ceasefire of 23 October 2020.

Public facts only, each naming its source, and written only through the domain commands, as the
facilitator would record them. Rules kept here:

- Nobody is invented: the members' names are not in our sources, so every seat stays vacant and no
  attendance is recorded. No position is invented either: what the sources report as agreed is
  recorded as adopted according to those sources, not through positions nobody recorded. People who are named (the chiefs of staff, envoys, the ambassador) are not
  members and appear only in the texts that mention them.
- No precision is invented: a day that the sources do not give is left out and said to be unknown.
- Rival readings stand side by side (item 2's three months).
"""

from ceasefire.agreements import commands as agreements
from ceasefire.incidents import commands as incidents
from ceasefire.incidents import typology
from ceasefire.mechanism import commands as mechanism
from ceasefire.publications import commands as publications
from ceasefire.record.log import Actor

NAME = "libya-2020"
FACILITATOR = Actor(f"scenario:{NAME}", role="facilitator", system=True)

# The sources, keyed as in the project's field notes (reference/domain.md §5) where they come from
# there; the others were found for this scenario to confirm dates.
SOURCES = {
    "L1": "PA-X Peace Agreements Database, agreement 2320: https://pax.peaceagreements.org/agreements/2320",
    "L2": "UNSMIL, 23 Oct 2020: https://reliefweb.int/report/libya/unsmil-welcomes-agreement-between-libyan-parties-permanent-country-wide-ceasefire",
    "L3": "AllAfrica, 23 Oct 2020: https://allafrica.com/stories/202010231048.html",
    "L4": "Libya Review: https://libyareview.com/7561/libyan-geneva-agreement-all-military-agreements-on-hold",
    "L5": "Al-Wasat (Arabic): http://alwasat.ly/news/libya/299042",
    "L5b": "Asharq (Arabic): https://asharq.com/amp/politics/127117/التفاصيل-الكاملة-لاتفاق-وقف-إطلاق-النار",
    "L6": "Libya Herald, 4 Nov 2020: https://www.libyaherald.com/2020/11/04/55-joint-military-commission-agrees-permanent-ceasefire-steps-at-ghadames-meeting/",
    "L8": "Libya Al-Ahrar: https://libyaalahrar.net/unsmil-libyan-55-military-talks-resulted-in-agreement-to-uphold-ceasefire/",
    "L9": "Libya Herald, Jul 2021: https://libyaherald.com/2021/07/coastal-road-finally-reopened-an-important-part-of-the-october-2020-ceasefire-agreement",
    "L21": "Libya Herald, 13 Oct 2021 (citing 218TV): https://www.libyaherald.com/2021/10/13/the-55-joint-military-committee-four-stage-action-plan-for-the-withdrawal-of-foreign-forces-from-libya-leaked-libyas-218tv/",
    "L22": "libya360, 8 Oct 2021: https://libya360.wordpress.com/2021/10/08/libya-55-joint-military-committee-sign-on-action-plan-to-remove-all-foreign-forces-and-mercenaries/",
    "L23": "UNSMIL statement on the JMC meeting in Cairo, Nov 2021 (via APO / Business Insider Africa): https://africa.businessinsider.com/apo/unsmil-statement-on-the-jmc-meeting-in-cairo-with-representatives-of-chad-niger-and/zplefml",
    "L24": "218TV, 1 Nov 2021: https://en.218tv.net/2021/11/01/55-jmc-to-form-communication-channels-with-libya-neighbors-to-start-removing-foreign-fighters/",
    "L26": "Atalayar, 25 Jul 2023: https://www.atalayar.com/en/articulo/politics/libyan-5-5-military-committee-meets-in-benghazi-to-discuss-army-unification/20230725171135188755.html",
    "L27": "Al Marsad, 10 Apr 2022: https://www.marsad.ly/en/2022/04/10/hafters-representatives-in-the-55-joint-military-commission-announce-suspension-of-their-participation-in-the-commission-call-for-closing-oil-coastal-road-and-cutting-cooperation-with-gnu/",
    "L28": "Libya Observer: https://www.libyaobserver.ly/news/libya-west-based-55-jmc-members-reject-getting-politics",
    "L31": "Libya Observer: https://libyaobserver.ly/news/joint-military-commission-55-confirms-ceasefire-still-place",
    "L38": "Libya Observer: https://www.libyaobserver.ly/news/55-jmc-convenes-geneva-plan-strategy-foreign-forces-withdrawal-libya",
    # Found for this scenario.
    "LH-2020-10-19": "Libya Herald, 19 Oct 2020 (fourth round opens in Geneva): https://www.libyaherald.com/2020/10/19/fourth-round-of-libyan-joint-military-commission-talks-start-in-geneva-unsmil/",
    "AW-300149": "Al-Wasat (English), 3 Nov 2020 (Williams on the Ghadames outcomes): http://en.alwasat.ly/news/libya/300149",
    "UP-2022-04-10": "UrduPoint / Sputnik, 10 Apr 2022: https://www.urdupoint.com/en/world/libyan-55-joint-military-commission-suspends-1495078.html",
    "DI-2023": "Diplomatic Info (the committee met in Cairo in June 2022, day not given): https://diplomaticinfo.com/libyan-55-joint-military-committee-convenes-for-first-time-in-7-months",
    "LR-36150": "Libya Review, Jul 2023: https://libyareview.com/36150/libyas-55-jmc-holds-meeting-in-paris",
    "LA-PARIS": "Libya Al-Ahrar, Jul 2023 (French Foreign Ministry statement: meetings held on July 17 and 18): https://libyaalahrar.net/france-hosts-libyas-55-jmc-members-for-security-deliberations/",
    "AM-2021-07-30": "Al Marsad, 30 Jul 2021 (the JMC officially announces the reopening of the coastal road): https://almarsad.co/en/2021/07/30/55-joint-military-committee-officially-announces-reopening-today-of-the-coastal-road/",
    "AA-2020-12-26": "Asharq Al-Awsat (English), 26 Dec 2020 (Libya's rivals swap prisoners; UNSMIL gave no numbers): https://aawsat-english.blogspot.com/2020/12/libyas-rivals-swap-prisoners.html",
    "LA-SWAP": "Libya Al-Ahrar (sources: 33 Haftar-side detainees for 15 GNA-side): https://libyaalahrar.net/libyas-gna-haftar-militias-exchange-prisoners/",
    "SEE-SWAP": "See News, citing Sputnik (UNSMIL welcomed a swap of 48): https://see.news/libyan-rivals-swap-prisoners-for-2nd-in-week-852599635869",
    "AW-306783": "Al-Wasat (English), 7 Jan 2021 (UNSMIL: 35 detainees, the second official exchange): http://en.alwasat.ly/news/libya/306783",
    "AB-1403557": "Al Bawaba (JMC member Naqasa: 27 for 8): https://www.albawaba.com/news/libyan-opposing-forces-exchange-prisoners-1403557",
    "LOB-2021-03-16": "Libya Observer, 16 Mar 2021 (JMC sub-committees clearing mines for the coastal road since 10 Feb 2021): https://www.libyaobserver.ly/news/55-joint-military-commission-reopening-coastal-road-very-soon",
    "LE-SIRTE": 'Libyan Express ("3 tons" cleared; reports to go to UNSMIL and international observers): https://www.libyanexpress.com/jmc-gnu-meet-in-sirte-to-discuss-mine-clearance-and-opening-the-main-coastal-road/',
    "LOB-120KM": "Libya Observer (UNSMIL: 120 km cleared, 7.5 t of explosive remnants of war): https://libyaobserver.ly/news/unsmil-mine-action-teams-cleared-120-km-coastal-road",
    "NOVA-2021-07-14": "Agenzia Nova, 14 Jul 2021 (LibMAC: the road free of mines, the coast still to survey): https://www.agenzianova.com/a/60eeb757bbff08.34297268/3530478/2021-07-14/i-fatti-del-giorno-nord-africa",
    "LO-PARIS": "Libya Observer, Jul 2023 (French Foreign Ministry statement; next meeting in Benghazi on 25 July 2023): https://libyaobserver.ly/news/libyan-military-leaders-discuss-paris-forming-unified-security-units",
}


def cite(*keys: str) -> str:
    """The `source` text: each source with its key, one per line."""
    return "\n".join(f"[{k}] {SOURCES[k]}" for k in keys)


MECHANISM = {
    "name_en": "5+5 Joint Military Commission (JMC)",
    "name_ar": "اللجنة العسكرية المشتركة 5+5",
    "established_on": None,  # February 2020: the day is not given, so no date is stored
    "mandate_en": (
        "Established in February 2020 (the day is not given in the sources) as part of the UN-led "
        "efforts to find a peaceful solution to the Libyan crisis, on the basis of Security Council "
        "resolutions 2510 and 2542 (2020) and the Berlin Conference. Five military officers from the "
        "western region and five from the eastern region, tasked with overseeing the ceasefire "
        "agreement and working towards a lasting peace in the country, with UNSMIL as facilitator. "
        "The commission calls its role technical, not political: in 2024 it said it is not tasked with "
        "unifying the military institution, lacks the powers to expel mercenaries and foreign forces or "
        "to organise armed groups, and will meet only at its headquarters in Sirte. "
        "The members' names are not recorded in this scenario: every seat stays vacant until a member "
        "is recorded with a source."
    ),
    "mandate_ar": (
        "أُنشئت في فبراير 2020 (لا تذكر المصادر اليوم) ضمن الجهود التي تقودها الأمم المتحدة لإيجاد حل "
        "سلمي للأزمة الليبية، استنادًا إلى قراري مجلس الأمن 2510 و2542 (2020) ومخرجات مؤتمر برلين. "
        "تضم خمسة ضباط عسكريين من المنطقة الغربية وخمسة من المنطقة الشرقية، وتتولى الإشراف على اتفاق "
        "وقف إطلاق النار والعمل من أجل سلام دائم في البلاد، وتيسّر أعمالها بعثة الأمم المتحدة للدعم في ليبيا. "
        "وتصف اللجنة دورها بأنه فني لا سياسي: ففي عام 2024 أعلنت أنها غير مكلفة بتوحيد المؤسسة العسكرية، "
        "ولا تملك الصلاحيات الكافية لإخراج المرتزقة والقوات الأجنبية أو تنظيم المجموعات المسلحة، وأنها "
        "ستقصر اجتماعاتها على مقرها في سرت. "
        "لا يسجّل هذا السيناريو أسماء الأعضاء: تبقى المقاعد كلها شاغرة إلى أن يُسجَّل عضو مع مصدره."
    ),
    "facilitator_en": "United Nations Support Mission in Libya (UNSMIL)",
    "facilitator_ar": "بعثة الأمم المتحدة للدعم في ليبيا",
    "source": cite("LR-36150", "L2", "L28", "L31"),
    "parties": [
        {
            "code": "west",
            "name_en": "Western region (Government of National Accord army)",
            "name_ar": "المنطقة الغربية (جيش حكومة الوفاق الوطني)",
            "seats": 5,
        },
        {
            "code": "east",
            "name_en": "Eastern region (General Command of the Libyan National Army)",
            "name_ar": "المنطقة الشرقية (القيادة العامة للجيش الوطني الليبي)",
            "seats": 5,
        },
    ],
}

AGREEMENT = {
    "title_en": "Agreement for a Complete and Permanent Ceasefire in Libya",
    "title_ar": "اتفاق وقف إطلاق النار الدائم في جميع أنحاء ليبيا",
    "signed_on": "2020-10-23",
    "place_en": "Geneva, Switzerland",
    "place_ar": "جنيف، سويسرا",
    "signatories_en": (
        "The two delegations of the 5+5 Joint Military Commission: the delegation of the western region "
        "(Government of National Accord army) and the delegation of the eastern region (General Command "
        "of the Libyan National Army)."
    ),
    "signatories_ar": (
        "وفدا اللجنة العسكرية المشتركة 5+5: وفد المنطقة الغربية (جيش حكومة الوفاق الوطني) ووفد المنطقة "
        "الشرقية (القيادة العامة للجيش الوطني الليبي)."
    ),
    "witnesses_en": (
        "UNSMIL: the Acting Special Representative of the Secretary-General, Stephanie Williams, and three "
        "UNSMIL officials (their names are not recorded here). UNSMIL signed as witness, not as a party."
    ),
    "witnesses_ar": (
        "بعثة الأمم المتحدة للدعم في ليبيا: الممثلة الخاصة للأمين العام بالإنابة ستيفاني وليامز وثلاثة من "
        "مسؤولي البعثة (لا تُسجَّل أسماؤهم هنا). وقّعت البعثة بصفة شاهد لا بصفة طرف."
    ),
    "text_en": (
        "Signed in Geneva on 23 October 2020 at the end of the commission's fourth round of talks "
        "(19–23 October 2020), the first held face to face. The full text is not reproduced here: see the "
        "published copies and the PA-X entry named in the source. Its provisions are recorded one by one: "
        "4 general principles and 12 items."
    ),
    "text_ar": (
        "وُقّع في جنيف يوم 23 أكتوبر 2020 في ختام الجولة الرابعة من محادثات اللجنة (19–23 أكتوبر 2020)، "
        "وهي أول جولة تُعقد وجهًا لوجه. لا يُنقل النص الكامل هنا: يُرجع إلى النسخ المنشورة وإلى مدخل قاعدة "
        "PA-X المذكورين في المصدر. تُسجَّل أحكامه واحدًا واحدًا: 4 مبادئ عامة و12 بندًا."
    ),
    "note_en": (
        "Numbering: the published Arabic copies of the agreement [L5][L5b] have 4 general principles and "
        "12 items. The numbering recorded here (P1–P4, 1–12) follows those published copies and should be "
        "verified against the UN text. "
        "One line has no number of its own in our sources and is kept here as a note rather than given one: "
        "Excludes UN-designated terrorist groups [L2] (listed with item 2)."
    ),
    "note_ar": (
        "الترقيم: تتضمن النسخ العربية المنشورة من الاتفاق [L5][L5b] أربعة مبادئ عامة واثني عشر بندًا. "
        "يتبع الترقيم المسجَّل هنا (P1–P4 و1–12) تلك النسخ المنشورة، وينبغي التحقق منه بمقارنته بنص "
        "الأمم المتحدة. "
        "وثمة سطر لا يحمل رقمًا خاصًا به في مصادرنا، فيُحفظ هنا ملاحظةً دون أن يُعطى رقمًا: يُستثنى من "
        "الاتفاق التنظيماتُ المصنفة إرهابيةً لدى الأمم المتحدة [L2] (مذكور مع البند 2)."
    ),
    "source": cite("L1", "L2", "L3", "L4", "L5", "L5b"),
}

BOTH_EN, BOTH_AR = "Both parties", "الطرفان"

# (number, kind, text_en, text_ar, category, deadline_months, deadline_en, deadline_ar,
#  implementer_en, implementer_ar, committee_role, source keys)
PROVISIONS = [
    (
        "P1",
        "principle",
        "Libya's territorial unity: its land, its air space and its waters.",
        "وحدة الأراضي الليبية برًّا وجوًّا وبحرًا.",
        "sovereignty",
        None,
        "",
        "",
        BOTH_EN,
        BOTH_AR,
        "monitors",
        ("L5b",),
    ),
    (
        "P2",
        "principle",
        "Libya's national decisions are not to be pledged to any foreign power.",
        "ألّا يكون القرار الوطني الليبي مرتهنًا لأي قوة أجنبية.",
        "sovereignty",
        None,
        "",
        "",
        BOTH_EN,
        BOTH_AR,
        "monitors",
        ("L5b",),
    ),
    (
        "P3",
        "principle",
        "Countering terrorism as a national policy.",
        "اعتماد مكافحة الإرهاب سياسةً وطنية.",
        "counter-terrorism",
        None,
        "",
        "",
        BOTH_EN,
        BOTH_AR,
        "monitors",
        ("L5b",),
    ),
    (
        "P4",
        "principle",
        "Respect for human rights and international humanitarian law.",
        "احترام حقوق الإنسان والقانون الدولي الإنساني.",
        "human rights",
        None,
        "",
        "",
        BOTH_EN,
        BOTH_AR,
        "monitors",
        ("L5b",),
    ),
    (
        "1",
        "item",
        "An immediate ceasefire across the whole of Libya, in force from the signature.",
        "وقف فوري لإطلاق النار في جميع أنحاء ليبيا، يسري منذ التوقيع.",
        "ceasefire",
        0,
        "on signature",
        "عند التوقيع",
        BOTH_EN,
        BOTH_AR,
        "monitors",
        ("L3", "L5"),
    ),
    (
        "2",
        "item",
        "All military units and armed groups leave the contact lines and return to their camps, "
        "simultaneously with the departure of all mercenaries and foreign fighters from Libyan territory: "
        "land, air and sea.",
        "انسحاب جميع الوحدات العسكرية والمجموعات المسلحة من خطوط التماس وعودتها إلى معسكراتها، بالتزامن "
        "مع خروج جميع المرتزقة والمقاتلين الأجانب من الأراضي الليبية برًّا وجوًّا وبحرًا.",
        "disengagement and foreign forces",
        3,
        "3 months from signature",
        "3 أشهر من تاريخ التوقيع",
        "Both parties, under the JMC's oversight",
        "الطرفان، تحت إشراف اللجنة العسكرية المشتركة",
        "monitors",
        ("L2", "L5b"),
    ),
    (
        "3",
        "item",
        "Military training agreements inside Libya are suspended and the training crews leave the country.",
        "تجميد اتفاقيات التدريب العسكري داخل ليبيا وخروج أطقم التدريب من البلاد.",
        "foreign military training",
        0,
        "immediately, until a unified government takes office",
        "فورًا، إلى حين تسلّم حكومة موحدة مهامها",
        BOTH_EN,
        BOTH_AR,
        "monitors",
        ("L2", "L4"),
    ),
    (
        "4",
        "item",
        "A joint security (operations) room, formed by the commission, proposes and implements security "
        "arrangements for the areas cleared of military units and armed groups.",
        "تتولى غرفة أمنية (عمليات) مشتركة تشكّلها اللجنة اقتراحَ الترتيبات الأمنية وتنفيذَها في المناطق "
        "التي تُخلى من الوحدات العسكرية والمجموعات المسلحة.",
        "security arrangements",
        None,
        "",
        "",
        "A joint security room formed by the JMC",
        "غرفة أمنية مشتركة تشكّلها اللجنة العسكرية المشتركة",
        "implements",
        ("L2", "L3"),
    ),
    (
        "5",
        "item",
        "A limited joint military force of regular personnel, under the joint room, to deter violations.",
        "تشكيل قوة عسكرية مشتركة محدودة العدد من العناصر النظامية، تعمل تحت إمرة الغرفة المشتركة، لردع الخروقات.",
        "security arrangements",
        None,
        "",
        "",
        "The JMC, through the joint room",
        "اللجنة العسكرية المشتركة عبر الغرفة المشتركة",
        "implements",
        ("L2", "L4"),
    ),
    (
        "6",
        "item",
        "All armed groups are identified and categorised, and a mechanism is set up to reintegrate their "
        "members on an individual basis.",
        "حصر جميع المجموعات المسلحة وتصنيفها، ووضع آلية لإعادة دمج أفرادها بصفة فردية.",
        "armed groups and reintegration",
        None,
        "to start immediately, with UN support",
        "يبدأ فورًا بدعم من الأمم المتحدة",
        "Both parties, with UN support",
        "الطرفان بدعم من الأمم المتحدة",
        "monitors",
        ("L3", "L4"),
    ),
    (
        "7",
        "item",
        "The confidence-building measures of the fourth round are reconfirmed: land routes open "
        "(Shwerif–Sebha–Murzuq; Abu Grein–Jufra; the coastal road Misrata–Sirte–Ajdabiya) and flights "
        "resume, to Sebha in particular.",
        "تأكيد إجراءات بناء الثقة المتفق عليها في الجولة الرابعة: فتح الطرق البرية (الشويرف–سبها–مرزق، "
        "وأبوقرين–الجفرة، والطريق الساحلي مصراتة–سرت–أجدابيا) واستئناف الرحلات الجوية، ولا سيما إلى سبها.",
        "freedom of movement",
        None,
        "",
        "",
        "The JMC's security arrangements",
        "الترتيبات الأمنية للجنة العسكرية المشتركة",
        "implements",
        ("L8", "L4"),
    ),
    (
        "8",
        "item",
        "Media escalation and hate speech end, with judicial deterrence of offenders.",
        "وقف التصعيد الإعلامي وخطاب الكراهية، وردع المخالفين عن طريق القضاء.",
        "media and hate speech",
        None,
        "",
        "",
        "Both parties; the judiciary",
        "الطرفان؛ السلطة القضائية",
        "monitors",
        ("L8", "L4"),
    ),
    (
        "9",
        "item",
        "The Petroleum Facilities Guard commanders of the east and of the west, with a representative of the "
        "National Oil Corporation, recommend how to restructure the Petroleum Facilities Guard.",
        "يقدّم آمرا حرس المنشآت النفطية في الشرق والغرب، بمشاركة ممثل عن المؤسسة الوطنية للنفط، توصيات "
        "بشأن إعادة هيكلة حرس المنشآت النفطية.",
        "oil facilities",
        None,
        "",
        "",
        "The Petroleum Facilities Guard commanders (east and west) and a National Oil Corporation representative",
        "آمرا حرس المنشآت النفطية (الشرق والغرب) وممثل عن المؤسسة الوطنية للنفط",
        "monitors",
        ("L8", "L4"),
    ),
    (
        "10",
        "item",
        "A committee exchanges the detainees held in connection with military operations; arrests on the "
        "basis of identity or political affiliation stop; fugitives are referred to the competent authorities.",
        "تشكيل لجنة لتبادل المحتجزين على خلفية العمليات العسكرية؛ ووقف الاعتقال على الهوية أو الانتماء "
        "السياسي؛ وإحالة المطلوبين إلى الجهات المختصة.",
        "detainees",
        None,
        "urgent",
        "بصفة عاجلة",
        "A JMC sub-committee",
        "لجنة فرعية تابعة للجنة العسكرية المشتركة",
        "implements",
        ("L4",),
    ),
    (
        "11",
        "item",
        "A mechanism to monitor and verify the ceasefire, with UNSMIL and the JMC.",
        "إنشاء آلية لمراقبة وقف إطلاق النار والتحقق منه، بمشاركة بعثة الأمم المتحدة للدعم في ليبيا "
        "واللجنة العسكرية المشتركة.",
        "monitoring and verification",
        None,
        "",
        "",
        "The JMC with UNSMIL",
        "اللجنة العسكرية المشتركة مع بعثة الأمم المتحدة للدعم في ليبيا",
        "implements",
        ("L4",),
    ),
    (
        "12",
        "item",
        "The agreement is referred to the UN Security Council for a binding resolution.",
        "إحالة الاتفاق إلى مجلس الأمن الدولي لاعتماده بقرار ملزم.",
        "international endorsement",
        None,
        "",
        "",
        "UNSMIL; the UN Security Council",
        "بعثة الأمم المتحدة للدعم في ليبيا؛ مجلس الأمن الدولي",
        "none",
        ("L4", "L9"),
    ),
]

# Item 2's deadline, read two ways.
ITEM_2_READINGS = [
    {
        "held_by_en": "UNSMIL",
        "held_by_ar": "بعثة الأمم المتحدة للدعم في ليبيا",
        "reading_en": (
            "The return of the forces and the departure of mercenaries and foreign fighters are due within "
            "3 months from signature."
        ),
        "reading_ar": "تستحق عودة القوات وخروج المرتزقة والمقاتلين الأجانب خلال 3 أشهر من تاريخ التوقيع.",
        "source": cite("L2"),
    },
    {
        "held_by_en": "Asharq (asharq.com), an Arabic news outlet",
        "held_by_ar": "موقع الشرق (asharq.com)، وسيلة إعلام عربية",
        "reading_en": (
            "The departure comes after a unified government is formed: it is tied to a unified government, "
            "not counted from the signature."
        ),
        "reading_ar": "يكون الخروج بعد تشكيل حكومة موحدة: فهو مرتبط بقيام حكومة موحدة لا محسوب من تاريخ التوقيع.",
        "source": cite("L5b"),
    },
]

# Item 3's suspension of training agreements holds "until a unified government takes office" [L2][L4]:
# its deadline depends on that event. Whether it has happened is a judgement our sources do not
# record, so its status is left "not known"; the committee records it when it has a source.
ITEM_3_CONDITION = {
    "condition_en": "Until a unified government takes office",
    "condition_ar": "إلى حين تسلّم حكومة موحدة مهامها",
    "status": "unknown",
    "source": cite("L2", "L4"),
}

UNSMIL_EN, UNSMIL_AR = "UNSMIL", "بعثة الأمم المتحدة للدعم في ليبيا"

# Meetings before the suspension of April 2022, in order. Each: the meeting, its agenda items,
# its decisions (text_en, text_ar, source keys), adopted according to those sources.
MEETINGS_2020_2021 = [
    {
        "meeting": {
            "title_en": "Fourth round of the JMC talks, the first face to face",
            "title_ar": "الجولة الرابعة من محادثات اللجنة العسكرية المشتركة، أول جولة وجهًا لوجه",
            "starts_on": "2020-10-19",
            "ends_on": "2020-10-23",
            "city_en": "Geneva",
            "city_ar": "جنيف",
            "country_en": "Switzerland",
            "country_ar": "سويسرا",
            "host_en": "UNSMIL (Acting Special Representative Stephanie Williams)",
            "host_ar": "بعثة الأمم المتحدة للدعم في ليبيا (الممثلة الخاصة بالإنابة ستيفاني وليامز)",
            "summary_en": (
                "The round opened on 19 October 2020 in the presence of the Acting Special Representative, "
                "Stephanie Williams, as part of the security track that came out of the 2020 Berlin Conference "
                "and was endorsed by Security Council resolution 2510 (2020). It ended on 23 October with the "
                "signature of the Agreement for a Complete and Permanent Ceasefire in Libya, recorded "
                "separately with its provisions."
            ),
            "summary_ar": (
                "افتُتحت الجولة يوم 19 أكتوبر 2020 بحضور الممثلة الخاصة بالإنابة ستيفاني وليامز، ضمن المسار "
                "الأمني المنبثق عن مؤتمر برلين 2020 الذي أيّده قرار مجلس الأمن 2510 (2020). واختُتمت يوم "
                "23 أكتوبر بتوقيع اتفاق وقف إطلاق النار الدائم في جميع أنحاء ليبيا، المسجَّل على حدة مع أحكامه."
            ),
            "source": cite("L2", "LH-2020-10-19"),
        },
        "agenda": [],
        "decisions": [],
    },
    {
        "meeting": {
            "title_en": "JMC meeting in Ghadames on implementing the ceasefire",
            "title_ar": "اجتماع اللجنة العسكرية المشتركة في غدامس بشأن تنفيذ وقف إطلاق النار",
            "starts_on": "2020-11-02",
            "ends_on": "2020-11-03",
            "city_en": "Ghadames",
            "city_ar": "غدامس",
            "country_en": "Libya",
            "country_ar": "ليبيا",
            "host_en": "UNSMIL (Acting Special Representative Stephanie Williams)",
            "host_ar": "بعثة الأمم المتحدة للدعم في ليبيا (الممثلة الخاصة بالإنابة ستيفاني وليامز)",
            "summary_en": (
                "A two-day meeting on carrying out the 23 October agreement; at its close the Acting Special "
                "Representative said the commission had completed its work. Outcomes: a military sub-committee "
                "to oversee the return of forces to their bases and the withdrawal of foreign forces from the "
                "contact lines; ceasefire monitoring with international observers taking part; the commission's "
                "headquarters in Sirte, with headquarters for the security-arrangements sub-committee in Hun and "
                "Sirte; a meeting of the Petroleum Facilities Guard in Brega; the detainee-exchange "
                "sub-committee to carry on; demining teams with the General Intelligence Service and the UN; "
                "flights to Sebha and Ghadames to resume at once; a committee against hate speech; and the next "
                "meeting in Sirte within the month."
            ),
            "summary_ar": (
                "اجتماع استمر يومين لتنفيذ اتفاق 23 أكتوبر؛ وفي ختامه قالت الممثلة الخاصة بالإنابة إن اللجنة "
                "أنجزت أعمالها. ومن مخرجاته: تشكيل لجنة عسكرية فرعية للإشراف على عودة القوات إلى مقراتها "
                "وانسحاب القوات الأجنبية من خطوط التماس؛ ومراقبة وقف إطلاق النار بمشاركة مراقبين دوليين؛ "
                "واتخاذ سرت مقرًا رئيسيًا للجنة، مع مقرين للجنة الترتيبات الأمنية الفرعية في هون وسرت؛ وعقد "
                "اجتماع لحرس المنشآت النفطية في البريقة؛ واستمرار لجنة تبادل المحتجزين الفرعية في عملها؛ "
                "وتشكيل فرق لنزع الألغام بالتعاون مع جهاز المخابرات العامة والأمم المتحدة؛ والاستئناف الفوري "
                "للرحلات الجوية إلى سبها وغدامس؛ وتشكيل لجنة لمكافحة خطاب الكراهية؛ وعقد الاجتماع المقبل في "
                "سرت خلال الشهر نفسه."
            ),
            "source": cite("L6", "AW-300149"),
        },
        "agenda": [],
        "decisions": [
            (
                "Form a military sub-committee to oversee the return of forces to their bases and the withdrawal "
                "of foreign forces from the contact lines.",
                "تشكيل لجنة عسكرية فرعية للإشراف على عودة القوات إلى مقراتها وانسحاب القوات الأجنبية من خطوط التماس.",
                ("L6", "AW-300149"),
            ),
            (
                "Monitor the ceasefire with the participation of international observers.",
                "مراقبة وقف إطلاق النار بمشاركة مراقبين دوليين.",
                ("L6", "AW-300149"),
            ),
            (
                "The commission's headquarters is in Sirte; the security-arrangements sub-committee has its "
                "headquarters in Hun and Sirte.",
                "يكون مقر اللجنة في سرت، ويكون للجنة الترتيبات الأمنية الفرعية مقران في هون وسرت.",
                ("L6", "AW-300149"),
            ),
            (
                "Hold a meeting of the Petroleum Facilities Guard in Brega.",
                "عقد اجتماع لحرس المنشآت النفطية في البريقة.",
                ("L6",),
            ),
            (
                "The detainee-exchange sub-committee carries on until the file is closed.",
                "تواصل لجنة تبادل المحتجزين الفرعية عملها حتى إنجاز هذا الملف.",
                ("L6", "AW-300149"),
            ),
            (
                "Form specialised engineering teams to clear mines, with the General Intelligence Service and "
                "the United Nations.",
                "تشكيل فرق هندسية متخصصة لنزع الألغام بالتعاون مع جهاز المخابرات العامة والأمم المتحدة.",
                ("L6", "AW-300149"),
            ),
            (
                "Resume flights to Sebha and Ghadames at once.",
                "الاستئناف الفوري للرحلات الجوية إلى سبها وغدامس.",
                ("L6", "AW-300149"),
            ),
            ("Form a committee to combat hate speech.", "تشكيل لجنة لمكافحة خطاب الكراهية.", ("AW-300149",)),
        ],
    },
    {
        "meeting": {
            "title_en": "JMC meeting in Geneva: Action Plan for the departure of mercenaries, foreign fighters and foreign forces",
            "title_ar": "اجتماع اللجنة العسكرية المشتركة في جنيف: خطة العمل لإخراج المرتزقة والمقاتلين الأجانب والقوات الأجنبية",
            "starts_on": "2021-10-08",
            "ends_on": "2021-10-08",
            "city_en": "Geneva",
            "city_ar": "جنيف",
            "country_en": "Switzerland",
            "country_ar": "سويسرا",
            "host_en": UNSMIL_EN,
            "host_ar": UNSMIL_AR,
            "summary_en": (
                "The commission signed a nationally owned Action Plan for the gradual, balanced, synchronised "
                "and sequenced departure of mercenaries, foreign fighters and foreign forces from Libyan "
                "territory; an implementation mechanism was to follow. UN monitors are to work under the "
                "commission's guidance and at its request to verify the withdrawal. Stages reported from a "
                "leaked copy (218TV, via Libya Herald; not confirmed by the commission): pull-back to points in "
                "two cities; international observers join Libyan observers; a count of the real numbers; "
                "departure in timetabled batches. Only the day of signature, 8 October 2021, is recorded here: "
                "the sources used do not give the meeting's first day."
            ),
            "summary_ar": (
                "وقّعت اللجنة خطة عمل وطنية الملكية لإخراج المرتزقة والمقاتلين الأجانب والقوات الأجنبية من "
                "الأراضي الليبية بشكل تدريجي ومتوازن ومتزامن ومتسلسل، على أن تليها آلية للتنفيذ. ويعمل مراقبو "
                "الأمم المتحدة بتوجيه من اللجنة وبطلب منها للتحقق من الانسحاب. ومن المراحل التي نُقلت عن نسخة "
                "مسرّبة (قناة 218 عبر ليبيا هيرالد، ولم تؤكدها اللجنة): انسحاب إلى نقاط في مدينتين؛ وانضمام "
                "مراقبين دوليين إلى المراقبين الليبيين؛ وحصر الأعداد الحقيقية؛ ثم الخروج على دفعات وفق جدول "
                "زمني. لا يُسجَّل هنا إلا يوم التوقيع، 8 أكتوبر 2021: فالمصادر المعتمدة لا تذكر اليوم الأول "
                "للاجتماع."
            ),
            "source": cite("L22", "L38", "L21", "L23"),
        },
        "agenda": [],
        "decisions": [
            (
                "Adopt the Action Plan for the gradual, balanced, synchronised and sequenced departure of "
                "mercenaries, foreign fighters and foreign forces from Libyan territory, with an implementation "
                "mechanism to follow.",
                "اعتماد خطة العمل لإخراج المرتزقة والمقاتلين الأجانب والقوات الأجنبية من الأراضي الليبية بشكل "
                "تدريجي ومتوازن ومتزامن ومتسلسل، على أن تليها آلية للتنفيذ.",
                ("L22", "L38", "L23"),
            ),
        ],
    },
    {
        "meeting": {
            "title_en": "JMC meeting in Cairo with representatives of Chad, Niger and Sudan",
            "title_ar": "اجتماع اللجنة العسكرية المشتركة في القاهرة مع ممثلي تشاد والنيجر والسودان",
            "starts_on": "2021-10-30",
            "ends_on": "2021-11-01",
            "city_en": "Cairo",
            "city_ar": "القاهرة",
            "country_en": "Egypt",
            "country_ar": "مصر",
            "host_en": UNSMIL_EN,
            "host_ar": UNSMIL_AR,
            "summary_en": (
                "UNSMIL reported a three-day meeting that concluded on 1 November 2021 (hence 30 October to "
                "1 November). With representatives of Chad, Niger and Sudan, the commission agreed on a "
                "communication and coordination mechanism to support its Action Plan of 8 October: "
                "communication and coordination committees in Libya and in the neighbouring countries, each "
                "set up by its own authorities, and meetings during implementation between the commission, the "
                "Libyan authorities and the neighbours' representatives, with a role for international and "
                "regional organisations. The commission stressed reaching out to all neighbouring countries. "
                "The neighbours were reported reluctant to take fighters back before they are disarmed."
            ),
            "summary_ar": (
                "أفادت البعثة بأن الاجتماع استمر ثلاثة أيام واختُتم يوم 1 نوفمبر 2021 (أي من 30 أكتوبر إلى "
                "1 نوفمبر). واتفقت اللجنة مع ممثلي تشاد والنيجر والسودان على آلية للتواصل والتنسيق دعمًا لخطة "
                "عملها الصادرة في 8 أكتوبر: لجان للتواصل والتنسيق في ليبيا وفي دول الجوار تُشكّلها سلطات كل "
                "دولة، واجتماعات خلال التنفيذ بين اللجنة والسلطات الليبية وممثلي دول الجوار، مع دور للمنظمات "
                "الدولية والإقليمية. وأكدت اللجنة أهمية التواصل مع جميع دول الجوار. وأفيد بأن دول الجوار "
                "تتحفظ على استعادة المقاتلين قبل نزع سلاحهم."
            ),
            "source": cite("L23", "L24"),
        },
        "agenda": [],
        "decisions": [
            (
                "Establish a communication and coordination mechanism with Chad, Niger and Sudan to support the "
                "Action Plan: communication and coordination committees in Libya and in each of those countries.",
                "إنشاء آلية للتواصل والتنسيق مع تشاد والنيجر والسودان دعمًا لخطة العمل: لجان للتواصل والتنسيق "
                "في ليبيا وفي كل من هذه الدول.",
                ("L23",),
            ),
        ],
    },
]

SUSPENSION = {
    "since": "2022-04-09",
    "reason_en": (
        "The five eastern (LNA General Command) members announced that they suspended their participation "
        "until their demands were met: stop oil exports, close the coastal road, stop flights between east "
        "and west, and end all cooperation with the Government of National Unity. The western members "
        "refused to follow, saying the commission is a technical body that should stay out of politics."
    ),
    "reason_ar": (
        "أعلن الأعضاء الخمسة عن المنطقة الشرقية (القيادة العامة للجيش الوطني الليبي) تعليق مشاركتهم إلى "
        "حين تلبية مطالبهم: وقف تصدير النفط، وإغلاق الطريق الساحلي، ووقف الرحلات الجوية بين الشرق والغرب، "
        "ووقف كل أوجه التعاون مع حكومة الوحدة الوطنية. ورفض أعضاء المنطقة الغربية ذلك، مؤكدين أن اللجنة "
        "جسم فني ينبغي أن يبقى بعيدًا عن السياسة."
    ),
    "source": cite("L27", "UP-2022-04-10", "L28", "DI-2023", "LA-PARIS", "L26"),
}

# No source gives the day the eastern members resumed. The first documented meeting with officers
# of both regions is Paris, 17-18 July 2023: the resumption is recorded on that day as "no later
# than", and the note says so, rather than leaving the east suspended against the sources.
RESUMPTION = {
    "on": "2023-07-17",
    "note_en": (
        "No later than this date: the day the eastern members resumed is not given in the sources used. "
        "The commission met again in Cairo in June 2022 (day not given), and officers of both regions took "
        "part in the Paris meeting of 17-18 July 2023, the first documented here; that first day is recorded."
    ),
    "note_ar": (
        "في موعد لا يتجاوز هذا التاريخ: لا تذكر المصادر المعتمدة يوم استئناف الأعضاء الشرقيين مشاركتهم. "
        "اجتمعت اللجنة مجددًا في القاهرة في يونيو 2022 (دون ذكر اليوم)، وشارك ضباط من المنطقتين في اجتماع "
        "باريس يومي 17 و18 يوليو 2023، وهو أول اجتماع موثّق هنا، فسُجّل يومه الأول."
    ),
    "source": cite("DI-2023", "LA-PARIS"),
}

MEETINGS_2023 = [
    {
        "meeting": {
            "title_en": "JMC meeting in Paris with the chiefs of staff",
            "title_ar": "اجتماع اللجنة العسكرية المشتركة في باريس بحضور رئيسي الأركان",
            "starts_on": "2023-07-17",
            "ends_on": "2023-07-18",
            "city_en": "Paris",
            "city_ar": "باريس",
            "country_en": "France",
            "country_ar": "فرنسا",
            "host_en": "France (Ministry for Europe and Foreign Affairs)",
            "host_ar": "فرنسا (وزارة أوروبا والشؤون الخارجية)",
            "received_by_en": (
                "On arrival in Paris on Sunday (16 July 2023), the delegations were received by the Libyan "
                "Ambassador to France, Khaled Kagigi, with senior officials of the Libyan Embassy and the "
                "military attaché."
            ),
            "received_by_ar": (
                "لدى وصول الوفود إلى باريس يوم الأحد (16 يوليو 2023)، استقبلها سفير ليبيا لدى فرنسا خالد "
                "قجيجي (Khaled Kagigi)، برفقة عدد من كبار مسؤولي السفارة الليبية والملحق العسكري."
            ),
            "summary_en": (
                "A two-day meeting of the commission hosted by France, with the two chiefs of staff taking part: "
                "Abdulrazzaq Al-Nadhouri (eastern-based Libyan National Army) and Mohamed Al-Haddad (western "
                "region); the chiefs of staff are not members of the commission. The French Foreign Ministry "
                "said the working meetings, held on 17 and 18 July, focused on reunifying the military "
                "institutions and the country's long-term stabilisation with full respect for Libyan "
                "sovereignty, within France's support for the Security Working Group co-chaired by the UN, and "
                "that the follow-up would come at the group's meeting in Benghazi on 25 July. In March 2023 "
                "the French envoy to Libya, Paul Soler, had announced the meeting as an opportunity to set clear "
                "goals for the military track: sovereignty, border security and the withdrawal of foreign forces "
                "from Libyan territory. He said France supports the military track together with UNSMIL and "
                "that the October 2020 ceasefire was still holding. No attendance is recorded: the members are "
                "not named in the sources used."
            ),
            "summary_ar": (
                "اجتماع للجنة استمر يومين واستضافته فرنسا، بمشاركة رئيسي الأركان: الفريق أول عبد الرزاق "
                "الناظوري (الجيش الوطني الليبي في الشرق) والفريق أول محمد الحداد (المنطقة الغربية)، وهما ليسا "
                "عضوين في اللجنة. وقالت وزارة الخارجية الفرنسية إن اجتماعات العمل، التي عُقدت يومي 17 و18 "
                "يوليو، تمحورت حول توحيد المؤسسات العسكرية وإرساء الاستقرار في البلاد على المدى الطويل مع "
                "الاحترام الكامل للسيادة الليبية، في إطار دعم فرنسا لمجموعة العمل الأمنية التي تشارك الأمم "
                "المتحدة في رئاستها، وإن متابعتها ستجري في اجتماع المجموعة في بنغازي يوم 25 يوليو. وكان "
                "المبعوث الفرنسي إلى ليبيا بول سولير (Paul Soler) قد أعلن في مارس 2023 عن هذا الاجتماع بوصفه "
                "فرصة لتحديد أهداف واضحة للمسار العسكري: السيادة، وأمن الحدود، وانسحاب القوات الأجنبية من "
                "الأراضي الليبية، مؤكدًا أن فرنسا تدعم المسار العسكري بالتعاون مع بعثة الأمم المتحدة للدعم في "
                "ليبيا، وأن وقف إطلاق النار المبرم في أكتوبر 2020 ما زال صامدًا. لا يُسجَّل الحضور: فالمصادر "
                "المعتمدة لا تسمّي الأعضاء."
            ),
            "source": cite("LR-36150", "LA-PARIS", "LO-PARIS"),
        },
        "agenda": [
            (
                "Sovereignty: Libyans' full sovereignty over their territory",
                "السيادة: استعادة الليبيين سيادتهم الكاملة على أراضيهم",
            ),
            (
                "Border security: joint units to secure Libya's borders",
                "أمن الحدود: تشكيل وحدات مشتركة لتأمين حدود ليبيا",
            ),
            ("Withdrawal of foreign forces from Libyan territory", "انسحاب القوات الأجنبية من الأراضي الليبية"),
            ("Reunification of the military institutions", "توحيد المؤسسات العسكرية"),
        ],
        "decisions": [],
    },
    {
        "meeting": {
            "title_en": "Meeting in Benghazi on army unification, with the Security Working Group",
            "title_ar": "اجتماع في بنغازي بشأن توحيد الجيش، بمشاركة مجموعة العمل الأمنية",
            "starts_on": "2023-07-25",
            "ends_on": "2023-07-25",
            "city_en": "Benghazi",
            "city_ar": "بنغازي",
            "country_en": "Libya",
            "country_ar": "ليبيا",
            "host_en": (
                "UNSMIL (Special Representative Abdoulaye Bathily); the Security Working Group was co-chaired "
                "that month by the Italian embassy, per Atalayar"
            ),
            "host_ar": (
                "بعثة الأمم المتحدة للدعم في ليبيا (الممثل الخاص عبد الله باتيلي)؛ وشاركت السفارة الإيطالية "
                "في رئاسة مجموعة العمل الأمنية ذلك الشهر، بحسب أتالايار"
            ),
            "summary_en": (
                "Per Atalayar, the commission held a meeting of the Security Working Group in Benghazi on "
                "Tuesday 25 July 2023, aimed at unifying the military institution and removing foreign forces, "
                "foreign fighters and mercenaries; the French Foreign Ministry had announced this meeting as the "
                "follow-up to Paris. Diplomatic representatives of the European Union, Egypt and the United "
                "Arab Emirates, among others, attended. The Special Representative, Abdoulaye Bathily, said the "
                "commission had carried out many recommendations (involving military and security leaders, "
                "releasing detainees, creating a DDR committee to catalogue the armed formations) and that "
                "liaison committees were at work on a coordinated withdrawal of mercenaries and foreign "
                "fighters, with a common database under way but slowed by the war in Sudan."
            ),
            "summary_ar": (
                "بحسب أتالايار، عقدت اللجنة اجتماعًا لمجموعة العمل الأمنية في بنغازي يوم الثلاثاء 25 يوليو "
                "2023، بهدف توحيد المؤسسة العسكرية وإخراج القوات الأجنبية والمقاتلين الأجانب والمرتزقة؛ وكانت "
                "وزارة الخارجية الفرنسية قد أعلنت هذا الاجتماع متابعةً لاجتماع باريس. وحضره ممثلون دبلوماسيون "
                "عن الاتحاد الأوروبي ومصر والإمارات العربية المتحدة وغيرها. وقال الممثل الخاص عبد الله باتيلي إن "
                "اللجنة نفّذت توصيات عديدة (إشراك القادة العسكريين والأمنيين، والإفراج عن محتجزين، وإنشاء لجنة "
                "لنزع السلاح والتسريح وإعادة الإدماج لحصر التشكيلات المسلحة)، وإن لجان الاتصال تعمل على انسحاب "
                "منسق للمرتزقة والمقاتلين الأجانب، مع قاعدة بيانات مشتركة قيد الإعداد أبطأت الحرب في السودان "
                "تقدّمها."
            ),
            "source": cite("L26", "LO-PARIS", "LA-PARIS"),
        },
        "agenda": [
            ("Unification of the military institution", "توحيد المؤسسة العسكرية"),
            (
                "Departure of foreign forces, foreign fighters and mercenaries",
                "إخراج القوات الأجنبية والمقاتلين الأجانب والمرتزقة",
            ),
        ],
        "decisions": [],
    },
]


# The default typology (incidents/typology.py), each category linked to the provisions of the
# 23 October 2020 agreement it may breach, by their numbers above. This linking is our reading,
# offered as a starting point; the committee changes it by redefining a category.
TYPOLOGY_PROVISIONS = {
    "firing": ("1",),
    "shelling": ("1",),
    "air-strike": ("1", "P1"),
    "raid": ("1",),
    "mine-laying": ("1", "P4"),
    "troop-movement": ("2",),
    "new-position": ("2",),
    "beyond-lines": ("2",),
    "foreign-forces": ("2", "3", "P2"),
    "protected-road": ("2", "7"),
    "killing": ("P4",),
    "abduction": ("P4", "10"),
    "arbitrary-arrest": ("10", "P4"),
    "torture": ("P4",),
    "property-destruction": ("P4",),
    "road-blocked": ("7",),
    "flights-blocked": ("7",),
    "aid-blocked": ("P4",),
    "hate-speech": ("8",),
    "unauthorised-checkpoint": ("7",),
    "access-denied": ("11",),
}


# The Geneva action plan of 8 October 2021 [L22] and its four stages as leaked to 218TV [L21]: the
# plan's text was not published, so each stage is stated as the leak reports it, with its source.
WITHDRAWAL_PLAN = {
    "title_en": "Action plan for the withdrawal of mercenaries, foreign fighters and foreign forces",
    "title_ar": "خطة عمل لإخراج المرتزقة والمقاتلين الأجانب والقوات الأجنبية",
    "agreed_on": "2021-10-08",
    "principles_en": "A gradual, balanced and synchronised removal; an implementation mechanism for a sequenced departure "
    "to follow; the neighbouring states to be consulted (as reported; the plan's text was not published).",
    "principles_ar": "إخراج تدريجي ومتوازن ومتزامن؛ تتبعه آلية تنفيذ لمغادرة متسلسلة؛ والتشاور مع دول الجوار (بحسب ما نُشر؛ لم يُنشر نص الخطة).",
    "source": cite("L22"),
}
LEAKED = (
    "Stage as leaked to 218TV and reported by the Libya Herald; not an official text.",
    "مرحلة كما سُرّبت إلى قناة 218 ونقلتها ليبيا هيرالد؛ ليست نصًا رسميًا.",
)
WITHDRAWAL_STAGES = [
    ("Pull back to assembly points in two cities", "الانسحاب إلى نقاط تجمع في مدينتين"),
    ("International observers join the Libyan observers", "انضمام مراقبين دوليين إلى المراقبين الليبيين"),
    ("Count the real numbers", "حصر الأعداد الحقيقية"),
    ("Departure in timetabled batches", "المغادرة على دفعات وفق جدول زمني"),
]


def _withdrawal_plan() -> None:
    from ceasefire.forces import commands as forces

    plan = forces.record_plan(FACILITATOR, WITHDRAWAL_PLAN)
    for title_en, title_ar in WITHDRAWAL_STAGES:
        forces.add_stage(
            FACILITATOR,
            plan.id,
            {
                "title_en": title_en,
                "title_ar": title_ar,
                "conditions_en": LEAKED[0],
                "conditions_ar": LEAKED[1],
                "source": cite("L21"),
            },
        )


# The coastal road between Misrata and Sirte (gazetteer places: Misrata, Abu Grein, Sirte), and its
# reopening on 30 July 2021 as the committee announced it [AM-2021-07-30]: under the Security
# Arrangements Committee, from Bouqrain (Abu Grein) to the "Thirty Gate" west of Sirte, with no
# military convoys and officials coordinating in advance. Recorded as the committee's according to
# that source, as the historical decisions are: no party's position is invented.
COASTAL_ROAD = {
    "kind": "road",
    "name_en": "Coastal road Misrata–Sirte",
    "name_ar": "الطريق الساحلي مصراتة–سرت",
    "aliases": ["coastal road", "الطريق الساحلي"],
    "places": ["osm:n5431087789", "osm:n1185649367", "osm:n299616414"],
    "source": cite("AM-2021-07-30", "L9"),
}
COASTAL_ROAD_REOPENED = {
    "status": "open",
    "since": "2021-07-30",
    "conditions_en": "No military convoys; officials coordinate their movements in advance. The section reopened runs "
    'from Bouqrain to the "Thirty Gate" west of Sirte.',
    "conditions_ar": "لا قوافل عسكرية؛ ويُنسّق المسؤولون تنقلاتهم مسبقًا. والمقطع المعاد فتحه يمتد من بوقرين إلى "
    '"بوابة الثلاثين" غرب سرت.',
    "ordered_by_en": "The 5+5 Joint Military Commission, under its Security Arrangements Committee",
    "ordered_by_ar": "اللجنة العسكرية المشتركة 5+5، عبر لجنة الترتيبات الأمنية",
    "source": cite("AM-2021-07-30"),
    "agreed_per_source": {"source": cite("AM-2021-07-30")},
}


# The Shwerif–Sebha road, which the agreement's confidence-building measures name among the land
# routes to open (provision 7, [L8]). The fact sheet has no source for when or how it opened, so
# it is recorded with no status: none is invented.
SHWERIF_ROAD = {
    "kind": "road",
    "name_en": "Road Al Shwayrif–Sabha",
    "name_ar": "طريق الشويرف–سبها",
    "aliases": ["Shwerif–Sebha road", "Shwerif-Sebha", "طريق الشويرف سبها"],
    "places": ["osm:n1193620130", "osm:n260716549"],
    "source": cite("L8"),
}


def _coastal_road() -> None:
    from ceasefire.routes import commands as routes

    road = routes.record_route(FACILITATOR, COASTAL_ROAD)
    routes.claim_status(FACILITATOR, road.id, COASTAL_ROAD_REOPENED)
    routes.record_route(FACILITATOR, SHWERIF_ROAD)


# The first detainee exchanges the committee supervised, at Al Shwayrif, each number as its source
# claims it, side by side: none is verified, and no mediator is named in these sources. 33
# Haftar-side detainees for 15 GNA-side ones: the west released the 33, the east the 15.
EXCHANGES = [
    (
        {"happened_on": "2020-12-25", "place": "osm:n1193620130", "source": cite("AA-2020-12-26")},
        [
            {"released": {"west": 33, "east": 15}, "source": cite("LA-SWAP")},
            {"total": 48, "source": cite("SEE-SWAP")},
        ],
    ),
    (
        {"happened_on": "2021-01-06", "place": "osm:n1193620130", "source": cite("AW-306783")},
        [
            {"total": 35, "source": cite("AW-306783")},
            {
                "total": 35,
                "source": cite("AB-1403557") + "\nJMC member Naqasa: 27 for 8; which side released which is not given.",
            },
        ],
    ),
]


def _exchanges() -> None:
    from ceasefire.exchanges import commands as exchanges

    for spec, claims in EXCHANGES:
        x = exchanges.record_exchange(FACILITATOR, spec)
        for numbers in claims:
            exchanges.claim_numbers(FACILITATOR, x.id, numbers)


# The mines along the coastal road: the one clearance report whose day the sources give (LibMAC,
# 14 July 2021); the earlier figures, whose days are not given, stand in the area's description
# with their sources, side by side ("3 tons" against 120 km and 7.5 t), none of them verified.
MINE_AREA = {
    "name_en": "Coastal road Misrata–Sirte",
    "name_ar": "الطريق الساحلي مصراتة–سرت",
    "place": "osm:n1185649367",
    "description_en": "JMC sub-committees cleared mines for the coastal road from 10 February 2021 [LOB-2021-03-16]. "
    'Figures whose day is not given: "3 tons" cleared, reports to go to UNSMIL and international observers '
    "[LE-SIRTE]; UNSMIL: 120 km cleared, 7.5 t of explosive remnants of war [LOB-120KM].",
    "description_ar": "طهّرت لجان فرعية تابعة للجنة العسكرية المشتركة الطريق الساحلي من الألغام منذ 10 فبراير 2021 "
    '[LOB-2021-03-16]. أرقام لم يُذكر يومها: تطهير "3 أطنان" مع رفع التقارير إلى البعثة والمراقبين الدوليين '
    "[LE-SIRTE]؛ البعثة: تطهير 120 كم و7.5 طن من مخلفات الحرب القابلة للانفجار [LOB-120KM].",
    "source": cite("LOB-2021-03-16", "LE-SIRTE", "LOB-120KM"),
}
MINE_CLEARANCE = {
    "status": "partly",
    "as_of": "2021-07-14",
    "extent_en": "The road free of mines; the coast still to survey (LibMAC).",
    "extent_ar": "الطريق خالٍ من الألغام؛ ولا يزال الساحل بحاجة إلى مسح (المركز الليبي للأعمال المتعلقة بالألغام).",
    "source": cite("NOVA-2021-07-14"),
}


def _mines() -> None:
    from ceasefire.mines import commands as mines

    area = mines.record_area(FACILITATOR, MINE_AREA)
    mines.report_clearance(FACILITATOR, area.id, MINE_CLEARANCE)


def _typology(agreement) -> None:
    by_number = {p.number: p.id for p in agreement.provisions.all()}
    for category in typology.default_categories():
        provisions = [by_number[n] for n in TYPOLOGY_PROVISIONS[category["code"]]]
        incidents.define_category(FACILITATOR, {**category, "provisions": provisions})


def _meeting(spec: dict) -> None:
    meeting = mechanism.record_meeting(FACILITATOR, spec["meeting"])
    for title_en, title_ar in spec["agenda"]:
        mechanism.add_agenda_item(FACILITATOR, meeting.id, {"title_en": title_en, "title_ar": title_ar})
    for text_en, text_ar, keys in spec["decisions"]:
        # The sources report the meeting's outcome, not the day each point was agreed.
        decision = mechanism.record_decision(
            FACILITATOR,
            meeting.id,
            {
                "text_en": text_en,
                "text_ar": text_ar,
                "source": cite(*keys),
                "adopted_per_source": {"source": cite(*keys)},
            },
        )
        # Known from public sources, so published: the public page shows it as the record copies it.
        publications.publish(FACILITATOR, {"subject": "decision", "id": decision.id})


def run() -> None:
    """Append the scenario's events. Call it through `ceasefire.scenarios.load`, which checks that the
    database is empty and wraps the whole in one transaction."""
    mechanism.establish(FACILITATOR, MECHANISM)

    agreement = agreements.record_agreement(FACILITATOR, AGREEMENT)
    for (
        number,
        kind,
        text_en,
        text_ar,
        category,
        months,
        deadline_en,
        deadline_ar,
        implementer_en,
        implementer_ar,
        role,
        keys,
    ) in PROVISIONS:
        provision = agreements.add_provision(
            FACILITATOR,
            agreement.id,
            {
                "number": number,
                "kind": kind,
                "text_en": text_en,
                "text_ar": text_ar,
                "category": category,
                "deadline_months": months,
                "deadline_en": deadline_en,
                "deadline_ar": deadline_ar,
                "implementer_en": implementer_en,
                "implementer_ar": implementer_ar,
                "committee_role": role,
                "source": cite(*keys),
            },
        )
        if number == "2":
            for reading in ITEM_2_READINGS:
                agreements.add_interpretation(FACILITATOR, provision.id, reading)
        if number == "3":
            agreements.record_condition(FACILITATOR, provision.id, ITEM_3_CONDITION)

    _typology(agreement)

    for spec in MEETINGS_2020_2021:
        _meeting(spec)

    _coastal_road()
    _exchanges()
    _mines()
    _withdrawal_plan()

    mechanism.suspend_participation(FACILITATOR, "east", SUSPENSION)
    mechanism.resume_participation(FACILITATOR, "east", RESUMPTION)

    for spec in MEETINGS_2023:
        _meeting(spec)
