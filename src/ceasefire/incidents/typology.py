"""The default typology of violations, drawn from what comparable mechanisms record
(shared/reference/domain.md §3.1: Sri Lanka's CFA Art. 1–2, the Nuba Mountains and Philippine
prohibited acts, OSCE SMM and Libyan practice). Each category carries the ACLED event type and
sub-event type it corresponds to, as ACLED's codebook (2023) names them, so that reports can be
exchanged with ACLED data. A mechanism adopts this list, or defines its own categories."""

# group code -> (English, Arabic)
GROUPS = {
    "military": ("Military", "عسكرية"),
    "disengagement": ("Disengagement", "فض الاشتباك"),
    "civilians": ("Civilians", "المدنيون"),
    "movement": ("Movement", "حرية التنقل"),
    "provocation": ("Provocation", "الاستفزاز"),
    "obstruction": ("Obstruction", "العرقلة"),
}

BATTLES = "Battles"
EXPLOSIONS = "Explosions/Remote violence"
CIVILIANS = "Violence against civilians"
STRATEGIC = "Strategic developments"

# (code, group, English, Arabic, ACLED event type, ACLED sub-event type)
DEFAULT = [
    ("firing", "military", "Firing", "إطلاق نار", BATTLES, "Armed clash"),
    ("shelling", "military", "Shelling", "قصف مدفعي أو صاروخي", EXPLOSIONS, "Shelling/artillery/missile attack"),
    ("air-strike", "military", "Air or drone strike", "غارة جوية أو بطائرة مسيّرة", EXPLOSIONS, "Air/drone strike"),
    ("raid", "military", "Raid", "مداهمة", BATTLES, "Armed clash"),
    (
        "troop-movement",
        "military",
        "Troop movement or reinforcement",
        "تحريك قوات أو تعزيزات",
        STRATEGIC,
        "Change to group/activity",
    ),
    (
        "new-position",
        "military",
        "New military positions",
        "إقامة مواقع عسكرية جديدة",
        STRATEGIC,
        "Headquarters or base established",
    ),
    ("mine-laying", "military", "Mine-laying", "زرع ألغام", STRATEGIC, "Other"),
    (
        "beyond-lines",
        "disengagement",
        "Forces or heavy weapons beyond agreed lines",
        "قوات أو أسلحة ثقيلة خارج الخطوط المتفق عليها",
        STRATEGIC,
        "Change to group/activity",
    ),
    (
        "foreign-forces",
        "disengagement",
        "Foreign fighters or trainers present",
        "وجود مقاتلين أو مدربين أجانب",
        STRATEGIC,
        "Other",
    ),
    (
        "protected-road",
        "disengagement",
        "Military convoy on a protected road",
        "رتل عسكري على طريق محمي",
        STRATEGIC,
        "Change to group/activity",
    ),
    ("killing", "civilians", "Killing of civilians", "قتل مدنيين", CIVILIANS, "Attack"),
    ("abduction", "civilians", "Abduction", "اختطاف", CIVILIANS, "Abduction/forced disappearance"),
    ("arbitrary-arrest", "civilians", "Arbitrary arrest", "اعتقال تعسفي", STRATEGIC, "Arrests"),
    ("torture", "civilians", "Torture", "تعذيب", CIVILIANS, "Attack"),
    (
        "property-destruction",
        "civilians",
        "Destruction of property",
        "تدمير ممتلكات",
        STRATEGIC,
        "Looting/property destruction",
    ),
    ("road-blocked", "movement", "Blocking a road", "إغلاق طريق", STRATEGIC, "Other"),
    ("flights-blocked", "movement", "Blocking flights", "منع الرحلات الجوية", STRATEGIC, "Other"),
    ("aid-blocked", "movement", "Blocking humanitarian aid", "منع المساعدات الإنسانية", STRATEGIC, "Other"),
    ("hate-speech", "provocation", "Hate speech or incitement", "خطاب كراهية أو تحريض", STRATEGIC, "Other"),
    ("unauthorised-checkpoint", "provocation", "Unauthorised checkpoint", "نقطة تفتيش غير مرخّصة", STRATEGIC, "Other"),
    ("access-denied", "obstruction", "Denial of access to monitors", "منع وصول المراقبين", STRATEGIC, "Other"),
]

# The category an access denial met by a verification team is recorded under.
OBSTRUCTION = "access-denied"

# ACLED's event types and their sub-event types (ACLED codebook, 2023), for validating a category.
ACLED = {
    BATTLES: ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    EXPLOSIONS: (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    CIVILIANS: ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Excessive force against protesters", "Protest with intervention", "Peaceful protest"),
    "Riots": ("Violent demonstration", "Mob violence"),
    STRATEGIC: (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}


def default_categories() -> list[dict]:
    """The default typology as the data `commands.define_category` takes."""
    return [
        {
            "code": code,
            "group": group,
            "name_en": en,
            "name_ar": ar,
            "acled_event_type": event_type,
            "acled_sub_event_type": sub_event_type,
        }
        for code, group, en, ar, event_type, sub_event_type in DEFAULT
    ]
