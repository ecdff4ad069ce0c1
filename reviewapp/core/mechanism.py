"""What a sentence says of how a drug works: the agent and its other names, the modality
and the targets ("an anti-VEGF/ANG2 bispecific antibody", "binding DLL3, CD3 and CD137")."""

from __future__ import annotations

import re

from reviewapp.core.vocabulary import Mention, Vocabulary, is_drug_name

# Antigens, receptors and pathways drugs are aimed at; joined by "/", "and", "×" or commas
# each is found on its own ("CDK4/6" is one target).
_TARGET_NAMES = (
    r"CD\d{1,3}[a-z]?|DLL3|PD-?L1|PD-?L2|PD-?1|CTLA-?4|LAG-?3|TIM-?3|TIGIT|4-1BB|OX40|HER-?2"
    r"|HER-?3|HER-?4|EGFR|TROP-?2|BCMA|GPRC5D|FcRH5|FCRH5|SLAMF7|VEGF-?A|VEGFR-?[1-3]|VEGFR|VEGF"
    r"|ANG-?2|Ang-?2|angiopoietin-2|ALK|ROS1|RET|MET|c-MET|c-Met|KRAS G1[23][A-Z]|KRAS|NRAS"
    r"|BRAF V600E"
    r"|BRAF|MEK|FGFR[1-4][–-][2-4]|FGFR-?[1-4]?|menin|PARP|BTK|BCL-?2|CDK4/6|CDK\d{1,2}|ERK[12]?"
    r"|CK1[αδε]|BET|CBP|p300|telomerase|BCR-ABL1?|PI3K[αδ]?|AKT|mTOR|IDH[12]|FLT3|KIT|PDGFR[αβ]?"
    r"|Nectin-?4|B7-H3|B7-H4|CLDN18\.2|claudin 18\.2|Claudin18\.2|GD2|PSMA|EpCAM|CEACAM5|GPC3"
    r"|mesothelin|MSLN|FRα|folate receptor alpha|IL-?6R?|IL-?2|TGF-?β|EZH2|XPO1|MDM2|NTRK"
    r"|TROP2|CCR4|CD3ε|HLA-A\*02:01|WT1|NY-ESO-1|MAGE-A4|DLL4|EGFRvIII|ERBB2|TSLP|CSF1R|TIGIT|gp100"
    r"|PDGFRA|PDGFRB|ACVR1|CXCR4|DNMT|HDAC"
)
_TARGET = re.compile(r"(?<![\w])(" + _TARGET_NAMES + r")(?![\w])")


def is_target(word: str) -> bool:
    """Whether ``word`` is a target the list knows ("EGFR", "PD-L1", "CD19")."""
    return _TARGET.fullmatch(word) is not None


# Targets written out in words, by the symbol the form lists (longest names first).
_TARGET_WORDS = {
    "human epidermal growth factor receptor 2": "HER2",
    "epidermal growth factor receptor": "EGFR",
    "B-cell maturation antigen": "BCMA",
    "delta-like ligand 3": "DLL3",
    "programmed death-ligand 1": "PD-L1",
    "programmed death ligand 1": "PD-L1",
    "programmed cell death ligand 1": "PD-L1",
    "programmed cell death protein 1": "PD-1",
    "programmed death 1": "PD-1",
    "cytotoxic T-lymphocyte antigen 4": "CTLA-4",
    "cytotoxic T-lymphocyte-associated antigen 4": "CTLA-4",
    "CTL antigen 4": "CTLA-4",
    "vascular endothelial growth factor receptor 1": "VEGFR1",
    "vascular endothelial growth factor receptor 2": "VEGFR2",
    "vascular endothelial growth factor receptor 3": "VEGFR3",
    "vascular endothelial growth factor receptor": "VEGFR",
    "androgen receptor": "AR",
    "estrogen receptor": "ER",
    "oestrogen receptor": "ER",
    "exportin-1": "XPO1",
    "isocitrate dehydrogenase 1": "IDH1",
    "isocitrate dehydrogenase 2": "IDH2",
    "DNA methyltransferase": "DNMT",
    "cytidine deaminase": "CDA",
    "cyclin-dependent kinase 4/6": "CDK4/6",
    "cyclin-dependent kinase 4 and 6": "CDK4/6",
    "platelet-derived growth factor receptor alpha": "PDGFRA",
    "platelet-derived growth factor receptor α": "PDGFRA",
    "vascular endothelial growth factor": "VEGF",
    "RANK ligand": "RANKL",
    "colony-stimulating factor 1 receptor": "CSF1R",
    "B-cell lymphoma 2": "BCL-2",
    "Bruton tyrosine kinase": "BTK",
    "Bruton's tyrosine kinase": "BTK",
    "poly(ADP-ribose) polymerase": "PARP",
    "folate receptor alpha": "FRα",
    "tissue factor": "TF",
    "folate receptor α": "FRα",
}
_TARGET_WORD = re.compile(
    r"\b(?:" + "|".join(re.escape(w).replace("\\-", "[\\s-]") for w in _TARGET_WORDS) + r")\b",
    re.IGNORECASE,
)
_TARGET_KEYS = {re.sub(r"[\s-]+", " ", k.lower()): v for k, v in _TARGET_WORDS.items()}
# Targets joined by a lower-case "x" ("BCMAxCD3", "PD-1xVEGF"): the multiplication sign.
_X_JOIN = re.compile(r"(?<=[0-9A-Z])x(?=(?:CD\d|[A-Z]{2,}))")
# A family's symbol in brackets and the member's number after them: "receptor (FGFR) 2".
_MEMBER = re.compile(
    r"\(([A-Z][A-Z0-9]{1,7})\)\s*(\d)(?![\d]|[.,]\d|\s*(?:%|months?|years?|weeks?))"
)


# Members of a family after the first: "VEGFR-1, -2, and -3", "FGFR-1 and -2".
_MEMBERS = re.compile(r"\b([A-Z]{2,6})-(\d)((?:\s*,\s*-\d)*\s*,?\s*(?:and|or)\s+-\d)\b")


# Members as a range: "FGFR1–4", "VEGFR1-3".
_RANGE_MEMBERS = re.compile(r"\b([A-Z]{2,6})(\d)\s*[–-]\s*(\d)(?![\w/]|\.\d)")
# Members written after a slash: "FGFR1/2/3", "IDH1/2"; after a symbol in brackets: "isocitrate
# dehydrogenase (IDH) 1 or 2".
_SLASH_MEMBERS = re.compile(r"\b([A-Z]{2,6})(\d)((?:/\d)+)(?![\w/])")
_BRACKETED_MEMBERS = re.compile(r"\(([A-Z][A-Z0-9]{1,7})\)\s*(\d)\s+(and|or)\s+(\d)\b")


# Members that are one target's usual name: "CDK4/6".
_NAMED_TOGETHER = frozenset(("CDK4/6",))


def _range_members(m: re.Match[str]) -> str:
    first, last = int(m.group(2)), int(m.group(3))
    together = f"{m.group(1)}{first}/{last}"
    if together in _NAMED_TOGETHER:
        return together  # "CDK4–6" is CDK4/6, not CDK4, CDK5 and CDK6
    if not first < last <= first + 4:
        return m.group(0)
    return "/".join(f"{m.group(1)}{i}" for i in range(first, last + 1))


def _slash_members(m: re.Match[str]) -> str:
    if m.group(0) in _NAMED_TOGETHER:
        return m.group(0)
    return "/".join(m.group(1) + d for d in (m.group(2), *m.group(3).split("/")[1:]))


def _each_member(m: re.Match[str]) -> str:
    return f"{m.group(1)}-{m.group(2)}" + re.sub(r"-(\d)", m.group(1) + r"-\1", m.group(3))


# A KRAS variant written as one word or with "p.": "KRASG12C", "KRAS p.G12D".
_KRAS_VARIANT = re.compile(r"\bKRAS\s*(?:p\.\s*)?(G12[A-Z])\b")


def joined(text: str) -> str:
    """``text`` with targets named by their symbols and joined by "×" where it wrote "x"."""
    text = _X_JOIN.sub("×", text)
    text = _KRAS_VARIANT.sub(r"KRAS \1", text)
    text = _MEMBERS.sub(_each_member, text)
    text = _RANGE_MEMBERS.sub(_range_members, text)
    text = _SLASH_MEMBERS.sub(_slash_members, text)
    text = _BRACKETED_MEMBERS.sub(r"(\1\2) \3 \1\4", text)
    text = _MEMBER.sub(r"(\1\2)", text)
    return _TARGET_WORD.sub(lambda m: _TARGET_KEYS.get(_key(m.group(0)), m.group(0)), text)


def _key(words: str) -> str:
    """A target written in words, as ``_TARGET_KEYS`` keeps it: lower case, any run of
    spaces, hyphens, line breaks or non-breaking spaces one space."""
    return re.sub(r"[\s-]+", " ", words.lower())


_BIOMARKER_AFTER = re.compile(
    r"\s*(?:-|–)?\s*(?:positive|negative|expression|expressing|status|\+|TPS|CPS|score|high|low"
    r"|overexpress|mutat|mutant|amplif|fusion|rearrang|alter|insertion|deletion|driven|deficien"
    r"|wild)",
    re.IGNORECASE,
)
_T_CELL = re.compile(
    r"t[\s-]*cell[\s-]*(?:engag|redirect|bispecific)|\bbite\b|\bcd3\b|t[\s-]*cell[\s-]*"
    r"(?:activating|recruiting)",
    re.IGNORECASE,
)
# Code names: "AMG 757", "MEDI4736", "BGB-A317", "JNJ-61186372", "DS-8201a", "9MW2821".
_CODE_TEXT = r"(?:[A-Z]{1,5}(?:-[A-Z]?| )?\d{2,9}[A-Za-z]?|\d[A-Z]{1,3}\d{3,6})"
_CODE = re.compile(r"(?<![\w-])(" + _CODE_TEXT + r")(?![\w-])")
# Short names written beside a drug's: "Dato-DXd", "T-DXd", "T-DM1", "liso-cel", "axi-cel".
_SHORT_NAME = re.compile(
    r"[A-Z][A-Za-z0-9]{0,6}-[A-Z][A-Za-z]{0,5}\d?|[a-z]{2,6}-(?:cel|[A-Z]{2,4})"
    # radioligands by their isotope: "177Lu-PSMA-617", "[177Lu]Lu-PSMA-617"
    r"|\[?\d{2,3}[A-Z][a-z]?\]?(?:[A-Z][a-z]?)?-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"
)
_CHECKPOINTS = re.compile(r"\b(?:PD-?1|PD-?L1|CTLA-?4|LAG-?3|TIGIT|TIM-?3)\b")
_ADC_PAYLOAD = re.compile(
    r"\b([a-z]+mab)\s+((?:[a-z]+)?(?:tecan|vedotin|dotin|tansine|ozogamicin|tesirine|zine))\b",
    re.IGNORECASE,
)
# A radiopharmaceutical's name: element, symbol and mass, then the carrier ("lutetium Lu 177
# vipivotide tetraxetan", "radium Ra 223 dichloride", "lutetium Lu 177 dotatate").
_RADIO_NAME = re.compile(
    r"\b(lutetium|actinium|radium|yttrium|iodine|thorium|lead|astatine)\s+([A-Z][a-z]?)[\s-]?"
    r"(\d{2,3})\s+([a-z]+(?:tide|tan|tate|ide|ate|mab|ine)(?:\s+[a-z]+(?:tan|tate|ide|ate))?)\b",
    re.IGNORECASE,
)
_CAR_T_SHORT = re.compile(r"(?<![\w-])[A-Za-z][a-z]{1,5}-cel\b")
_CAR_T_NAME = re.compile(r"\b([a-z]+(?:cabtagene|tagene))\s+([a-z]+leucel)\b", re.IGNORECASE)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# A gene-like symbol the list does not know is a target where the words make it one: "an
# AXL-targeting antibody", "anti-ROR1", "an antibody against CDH6", "inhibitor of the AXL …".
_SYMBOL = r"(?:[A-Z][A-Z0-9]{1,7}(?:-[A-Z0-9]{1,4})?|[A-Z][a-z]{2,7}-?\d{1,2})"
_NOT_SYMBOLS = frozenset(
    _words(
        "ADC ADCS CAR DNA RNA TKI TKIS PBD MMAE MMAF DXD DM1 DM4 FDA EMA USA IGG IGG1 IGG4 NK"
        " II III IV HLA TCR BITE TCE"
    )
)
_TARGET_BY_CONTEXT = re.compile(
    r"(?<![\w-])(" + _SYMBOL + r")\s*[-–‑]\s*(?:targeting|targeted|directed|specific|selective)\b"
    r"|(?<![\w-])(" + _SYMBOL + r")\)?\s*[-–‑]?\s*(?:bromodomain\s+|signall?ing\s+|pathway\s+)?"
    r"(?:inhibitor|degrader|antagonist)s?\b"
    r"|\banti\s*[-–‑]\s*(" + _SYMBOL + r")(?![\w-])"
    r"|\b(?:against|targeting|targets|binds|binding|binds to|binding to|inhibitor of|inhibits"
    r"|antagonist of"
    r"|directed (?:against|at|to)|specific (?:for|to))\s+(?:the\s+)?(?:human\s+)?"
    r"(" + _SYMBOL + r")(?![\w-])"
    # a protein named in small letters and its number: "binds to nectin-4"
    r"|\b(?:against|targeting|targets|binds to|binding to|directed (?:against|at|to))\s+"
    r"(?:the\s+)?([a-z]{4,12}-\d{1,2}(?:\.\d)?)(?![\w-])"
)
_EXPRESSING = re.compile(
    r"\s*[-–]?\s*(?:express|overexpress|positive\s+(?:tumou?r\s+|cancer\s+)?cells)", re.IGNORECASE
)
_DOMAIN_AFTER = re.compile(
    r"\s*(?:[-–]?\s*)?(?:costimulatory|co-stimulatory|signall?ing\s+domain|domain)\b", re.I
)
# Another name of a target already named: "(HER2; also known as ERBB2)".
_ALSO_CALLED = re.compile(r"\b(?:also\s+(?:known\s+as|called)|a\.k\.a\.?)\s*$", re.IGNORECASE)
# What the drug does not act on: "spares wild-type EGFR", "minimal activity against HER2",
# "with minimal EGFR inhibition". ("An inhibitor of wild-type EGFR" is one it acts on.)
_SPARED_BEFORE = re.compile(
    r"(?:\bspar(?:es|ing|ed|e)|\b(?:minimal|little|no|limited|negligible|without)\s+(?:[\w-]+\s+)?"
    r"(?:activity|effect|inhibition|binding|potency)\s+(?:against|on|of|for|towards?))"
    r"\s+(?:the\s+)?(?:wild[\s-]*type\s+)?$"
    r"|\b(?:minimal|little|limited|negligible)\s+(?:wild[\s-]*type\s+)?$",
    re.IGNORECASE,
)
# Drugs given with the one described, not what it acts on: "strong CYP3A4 inhibitors",
# "patients on ACE inhibitors", "concomitant PDE5 inhibitors should be avoided".
_NEVER_TARGETS = re.compile(r"CYP\w*|PPIs?|ACE|P-?GP", re.IGNORECASE)
_CO_MEDICATION_BEFORE = re.compile(
    r"\b(?:strong|moderate|weak|potent|concomitant|concurrent|co-?administered|taking|using|on"
    r"|receiving"
    r"|(?:use|intake|administration|coadministration)\s+of)\s+(?:(?:and|or)\s+[\w-]+\s+)?$",
    re.IGNORECASE,
)
_INTERACTION = re.compile(
    r"\b(?:interact\w*|exposure|AUC|Cmax|avoid\w*|co-?administ\w*|concomitant\w*"
    r"|co-?medications?|pharmacokinetic\w*|plasma concentrations?|excluded|contraindicated)\b",
    re.IGNORECASE,
)
# Ligands named after a receptor are not targets: "PD-1 and its ligands, PD-L1 and PD-L2".
_LIGANDS = re.compile(r"\b(?:its|their|the)\s+(?:natural\s+|cognate\s+)?ligands?\b", re.I)


_RATIO_OF_CELLS = re.compile(r"\s*:\s*CD\d")
_CELLS_BEFORE = re.compile(r"CD\d+\s*:\s*$")
_PEPTIDE_AFTER = re.compile(r"\s+peptide")
_MUTATION_AFTER = re.compile(r"\s+mutations?\b")


def _just_before(text: str, at: int, width: int = 80) -> str:
    """The words just before ``at`` (at most ``width`` characters, from a word's start): what
    a pattern ending at ``at`` is read in, so that a long sentence is not read again from
    its start for each of its targets."""
    start = max(0, at - width)
    if start > 0 and not text[start - 1].isspace():
        space = re.search(r"\s", text[start:at])
        start = start + space.end() if space else at
    return text[start:at]


def _co_medication(text: str, m: re.Match[str], interaction: bool) -> bool:
    """Whether "X inhibitors" are drugs given with the one described: "strong", "concomitant"
    or "patients on" before them, or inhibitors in the plural in a sentence about drug
    interactions ("PDE5 inhibitors should be avoided"); "a COX-2 inhibitor" is what it is."""
    before = _just_before(text, m.start(2))
    return _CO_MEDICATION_BEFORE.search(before) is not None or (
        interaction and m.group(0).endswith("s")
    )


def targets(text: str) -> list[str]:
    """The targets named, in order, each once; a biomarker ("PD-L1–positive") is left out
    when the sentence names another target, and so are ligands named after a receptor."""
    named: list[tuple[int, str]] = []
    markers: list[tuple[int, str]] = []
    for m in _TARGET.finditer(text):
        if _RATIO_OF_CELLS.match(text, m.end()) or _CELLS_BEFORE.search(
            _just_before(text, m.start())
        ):
            continue  # "CD4:CD8 ratios": cells counted, not targets
        if _ALSO_CALLED.search(_just_before(text, m.start())) or _DOMAIN_AFTER.match(text, m.end()):
            # "HER2; also known as ERBB2": the same target by another name; "a 4-1BB
            # costimulatory domain": a part of the construct
            continue
        if _SPARED_BEFORE.search(_just_before(text, m.start())) or _PEPTIDE_AFTER.match(
            text, m.end()
        ):
            # "spares wild-type EGFR": what the drug does not act on; "gp100 peptide-HLA": a
            # complex of which the antigen is a part, as the earlier labels leave it
            continue
        into = markers if _BIOMARKER_AFTER.match(text, m.end()) else named
        into.append((m.start(), m.group(1)))
    covered = {i for at, name in named + markers for i in range(at, at + len(name))}
    interaction = _INTERACTION.search(text) is not None
    for m in _TARGET_BY_CONTEXT.finditer(text):
        group = next(g for g in (1, 2, 3, 4, 5) if m.group(g))
        at, symbol = m.start(group), m.group(group)
        mutation = _MUTATION_AFTER.match(text, m.end()) is not None
        if (
            symbol.upper() not in _NOT_SYMBOLS
            and not mutation
            and at not in covered
            and not _NEVER_TARGETS.fullmatch(symbol)
            and not (group == 2 and _co_medication(text, m, interaction))
            and not _SPARED_BEFORE.search(_just_before(text, at))
        ):
            named.append((at, symbol))
    ligands = _LIGANDS.search(text)
    if ligands and any(at < ligands.start() for at, _ in named):
        named = [(at, name) for at, name in named if at < ligands.start()]
    # Without a target named, cells marked by one are what the drug is aimed at ("links T cells
    # to DLL3-expressing tumour cells"); a population so marked is not ("for ROS1-positive
    # NSCLC").
    expressing = [(at, name) for at, name in markers if _EXPRESSING.match(text, at + len(name))]
    chosen = sorted(named) or sorted(expressing)
    names = list(dict.fromkeys(name for _, name in chosen))
    # "anti-CC chemokine receptor 4 (anti-CCR4)": letters that begin a symbol named after them
    return [n for n in names if not (n.isalpha() and any(_begins(n, o) for o in names))]


def _begins(short: str, name: str) -> bool:
    return name != short and name.startswith(short) and name[len(short)].isalpha()


def modality(text: str, agent: str | None, found_targets: list[str]) -> str | None:
    """The modality the sentence states, as the form's choice; None when in doubt."""
    lowered = text.lower()
    t_cell = _T_CELL.search(text) is not None
    if re.search(r"\bradio(?:ligand|pharmaceutical|nuclide|conjugate)|oligonucleotide", lowered):
        return "other"
    if "trispecific" in lowered:
        return "trispecific T-cell engager" if t_cell else None
    if "bispecific" in lowered or re.search(r"\bbite\b", lowered):
        return "bispecific T-cell engager" if t_cell else "bispecific antibody"
    if re.search(r"t[\s-]*cell[\s-]*engag", lowered):
        if "CD3" in found_targets and len(found_targets) in (2, 3):
            return ("bispecific" if len(found_targets) == 2 else "trispecific") + " T-cell engager"
        return None
    if re.search(r"antibody[\s–-]*drug conjugate|\bADCs?\b", text, re.IGNORECASE) or (
        _CONJUGATED.search(text) and _PAYLOAD.search(text) and "antibod" in lowered
    ):
        return "ADC"
    if re.search(
        r"\bcar[\s-]*t\b|chimeric antigen receptor|genetically modified autologous t[\s-]cell",
        lowered,
    ):
        return "CAR-T"
    if "checkpoint" in lowered:
        return "checkpoint inhibitor"
    if re.search(r"\bfusion proteins?\b", lowered) and "antibod" not in lowered:
        return "other"  # a receptor or ligand trap: "a recombinant fusion protein that binds …"
    if re.search(
        r"monoclonal (?:[\w-]+ ){0,3}antibody|\bmab\b|igg\d? (?:monoclonal )?antibody", lowered
    ):
        return "monoclonal antibody"
    if re.search(r"\b(?:PD-?1|PD-?L1|CTLA-?4)\s*(?:-|–)?\s*(?:inhibitor|blockade|blocking)", text):
        return "checkpoint inhibitor"
    if re.search(
        r"small[\s-]molecule|kinase inhibitor|\btkis?\b|\bdegraders?\b|\bserds?\b", lowered
    ):
        return "small molecule"
    mab = agent is not None and agent.split()[0].endswith("mab")
    checkpoint = any(_CHECKPOINTS.fullmatch(t) for t in found_targets)
    # (an antagonist may be a peptide or a protein: only an oral one is a small molecule)
    antagonist = re.search(r"\boral\b[^.;]{0,60}\bantagonists?\b", lowered) is not None
    described = _INHIBITOR_SHORT.search(text) is not None  # "is an irreversible BTKi"
    named = re.search(r"\binhibitors?\b", lowered) is not None or antagonist or described
    if named and agent and not mab and not checkpoint:
        return "small molecule"
    if re.search(r"\banti-\S+\s+(?:\w+\s+)?antibody\b", lowered) and not checkpoint:
        return "monoclonal antibody"
    return None


# An inhibitor by its target's symbol and "i": "BTKi", "PARPi" ("CRi" is a response).
_INHIBITOR_SHORT = re.compile(
    r"\b(?:is|as)\s+an?\s+(?:[\w-]+,?\s+){0,6}?(?!CRi\b)[A-Z][A-Z0-9/]{1,6}is?\b"
)
# An antibody described as carrying a toxin: "an antibody conjugated to a PBD toxin".
_CONJUGATED = re.compile(r"\b(?:conjugat\w*|link(?:s|ed|ing)?|attached|coupled|armed)\b", re.I)
_PAYLOAD = re.compile(
    r"toxin|payload|cytotoxi|warhead|pyrrolobenzodiazepine|\bPBD\b|auristatin|\bMMA[EF]\b"
    r"|maytansin|camptothecin|exatecan|topoisomerase|calicheamicin|SN-38|\bDM[14]\b|duocarmycin"
    r"|microtubule|tubulin",
    re.IGNORECASE,
)
_CODE_AFTER_MODALITY = re.compile(
    r"\b(?:antibody|antibodies|inhibitor|engager|conjugate|molecule|construct|ADC)\s+"
    r"(" + _CODE_TEXT + r")(?![\w-])"
)
# An investigational agent that opens the sentence by its code: "RG-55013 is a …".
_CODE_SUBJECT = re.compile(
    r"^\W*(?:the\s+)?(?:(?:novel|investigational|first-in-class)\s+)?(" + _CODE_TEXT + r")"
    r"(?![\w-])(?!\s*[(\[][a-z]+\s*[)\]])(?=\s*(?:,|\(|\bis\b|\bwas\b|\bbinds\b|\btargets\b))",
    re.IGNORECASE,
)


def agent_and_aliases(text: str, vocabulary: Vocabulary) -> tuple[str | None, list[str]]:
    """The first drug the sentence names (its non-proprietary name, lower case, or the code
    an investigational one goes by: "the bispecific antibody AZD0486") and the other names
    the sentence gives it (brand and code names)."""
    known = vocabulary.agents.find(text)
    by_stem = _drugs_by_stem(text)
    first_known = known[0] if known else None
    first_stem = by_stem[0] if by_stem else None
    code = _CODE_AFTER_MODALITY.search(text) or _CODE_SUBJECT.search(text)
    firsts = [m.start for m in known[:1]] + [d[0] for d in by_stem[:1]]
    if code and all(code.start(1) < at for at in firsts) and _CODE.fullmatch(code.group(1)):
        return code.group(1), []
    if first_known and (first_stem is None or first_known.start <= first_stem[0]):
        return first_known.entry.name, _aliases(text, first_known, known)
    if first_stem is None:
        return None, []
    start, end, name = first_stem
    return name, _once([alias for _, alias in sorted(_adjacent_codes(text, start, end))])


def _drugs_by_stem(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for pattern in (_ADC_PAYLOAD, _CAR_T_NAME):
        for m in pattern.finditer(text):
            found.append((m.start(), m.end(), f"{m.group(1)} {m.group(2)}".lower()))
    for m in _CAR_T_SHORT.finditer(text):
        found.append((m.start(), m.end(), m.group(0).lower()))  # "Obe-cel is …"
    for m in _RADIO_NAME.finditer(text):
        name = f"{m.group(1).lower()} {m.group(2)} {m.group(3)} {m.group(4).lower()}"
        found.append((m.start(), m.end(), name))
    for m in re.finditer(r"[A-Za-z]+", text):
        inside = any(s <= m.start() < e for s, e, _ in found)
        word = m.group(0)
        # (a short word in capitals is an abbreviation; a long one a name set in capitals)
        if not inside and is_drug_name(word.lower()) and (not word.isupper() or len(word) >= 7):
            found.append((m.start(), m.end(), m.group(0).lower()))
    return sorted(found)


def _as_listed(mention: Mention) -> str:
    """A name as the vocabulary lists it when the sentence only capitalised its first
    letter ("Ide-cel is …" is ide-cel); otherwise as written ("ELAHERE", "Xofigo")."""
    written = mention.written
    for term in mention.entry.terms:
        if written[:1].isupper() and written[1:] == term[1:] and term[:1] == written[:1].lower():
            return term
    return written


def _aliases(text: str, first: Mention, known: list[Mention]) -> list[str]:
    """The other names the sentence gives the first agent, in the order it writes them."""
    named = [(m.start, _as_listed(m)) for m in known if m.entry is first.entry]
    named += _adjacent_codes(text, first.start, first.end)
    return _once([name for _, name in sorted(named) if name.lower() != first.entry.name])


def _once(names: list[str]) -> list[str]:
    """Each name once, whatever its case ("GAVRETO … sold under the brand name Gavreto")."""
    once: dict[str, str] = {}
    for name in names:
        once.setdefault(name.lower(), name)
    return list(once.values())


# "formerly AMG 757", "also known as MK-3475", "previously known as X": the name follows.
_KNOWN_AS = (
    r"(?:also\s+(?:known\s+as|called)|(?:formerly|previously)(?:\s+(?:known\s+as|called))?"
    r"|a\.k\.a\.?)\s+"
)
_ALSO_KNOWN = re.compile(r"\s*,\s*" + _KNOWN_AS + r"([^\s,;()]+(?:\s\d+)?)\s*[,;)]")


# "sold under the brand name Mylotarg", "marketed as Ordspono"
_SOLD_AS = re.compile(
    r"\b(?:sold|marketed)\s+(?:under\s+the\s+(?:brand|trade)\s+names?\s+|as\s+)([A-Z][\w-]+)"
)


def _adjacent_codes(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """Code and brand names, with where they are: in brackets just after the name
    ("tarlatamab (AMG 757)", "(Enhertu®)", "(formerly AMG 757)"), after it as "also known as
    MK-3475", or a brand or code just before a bracketed name ("Lumakras (sotorasib)")."""
    found: list[tuple[int, str]] = []
    # (a US suffix may follow the name first: "govitecan-hziy (Trodelvy)")
    after = re.compile(r"(?:-[a-z]{4}\b)?\s*[(\[]([^()\[\]]{2,60})[)\]]").match(text, end)
    if after:
        at = after.start(1)
        for raw in re.split(r"([;,/]|\bor\b)", after.group(1)):
            part = re.sub(r"^" + _KNOWN_AS, "", raw.strip(), flags=re.IGNORECASE)
            part = part.rstrip("®™ ")
            if _is_alias(part) or _abbreviates(part, text[start:end]):
                found.append((at, part))
            at += len(raw)
    also = _ALSO_KNOWN.match(text, end)
    if also and _is_alias(also.group(1)):
        found.append((also.start(1), also.group(1)))
    sold = _SOLD_AS.search(text, end, end + 120)
    if sold and _is_brand(sold.group(1)):
        found.append((sold.start(1), sold.group(1)))
    before = re.search(r"([A-Z][\w-]+)[®™]?\s*[(\[]\s*$", text[:start])
    if before and (_CODE.fullmatch(before.group(1)) or _is_brand(before.group(1))):
        found.append((before.start(1), before.group(1)))
    return found


# Makers named beside a drug ("olaparib (Lynparza, AstraZeneca)") are not its names.
_MAKERS = frozenset(
    _words(
        "abbvie amgen astellas astrazeneca bayer beigene biogen boehringer celgene chugai daiichi"
        " eisai exelixis genentech gilead glaxosmithkline gsk hengrui incyte innovent ipsen janssen"
        " kite lilly merck msd novartis otsuka pfizer regeneron roche sanofi seagen servier"
        " taiho takeda teva stemline genzyme jazz deciphera iovance autolus karyopharm"
        " morphosys syndax menarini pharmamar immunocore genmab blueprint bms"
    )
)


def _abbreviates(part: str, name: str) -> bool:
    """Whether ``part`` is the sentence's abbreviation of the drug's name: capitals taken in
    order from it, the first its first ("mirvetuximab soravtansine (MIRV)", "(SG)")."""
    if re.fullmatch(r"[a-z]{3,5}", part):
        # "amivantamab (ami)": the name's first letters, as the sentence shortens it
        return name.lower().startswith(part) and len(name) > len(part)
    if not re.fullmatch(r"[A-Z]{2,6}", part) or is_target(part):
        return False
    letters = iter(name.lower())
    return part[0].lower() == name[:1].lower() and all(c in letters for c in part.lower())


def _is_alias(part: str) -> bool:
    """Whether a name written beside a drug's is a code, short or brand name (not a target
    such as "PD-L1", a trial's registry number, a maker, nor a word like "formerly")."""
    if is_target(part) or part.lower() in _MAKERS or re.fullmatch(r"NCT\d{8}", part):
        return False
    # (a code may carry the antigen's name in small letters: "IMCgp100")
    mixed = re.fullmatch(r"[A-Z]{2,5}[a-z]{1,3}\d{2,6}", part) is not None
    # (a code may open with a small letter: "h-R3", "ch14.18"; another non-proprietary name:
    # "rivoceranib"; a brand set in capitals: "MONJUVI")
    small = re.fullmatch(r"[a-z]-[A-Z]{1,4}\d{1,4}|[a-z]{1,3}\d{1,3}\.\d{1,3}", part) is not None
    if re.fullmatch(r"[A-Z]{5,12}", part) and part.lower() not in _MAKERS and not is_target(part):
        return True
    other_name = part.islower() and is_drug_name(part)
    return bool(
        _CODE.fullmatch(part)
        or _SHORT_NAME.fullmatch(part)
        or _is_brand(part)
        or mixed
        or small
        or other_name
    )


def _is_brand(word: str) -> bool:
    return (
        bool(re.fullmatch(r"[A-Z][a-z]{3,}[a-z0-9]*|[A-Z][a-z]+(?:[A-Z][a-z]+)+", word))
        and not is_drug_name(word)
        and (word.lower() not in {"formerly", "also", "previously", "known", "the", "alliance"})
    )
