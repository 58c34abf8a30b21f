"""What the prose reader looks for: benchmark names, score-shaped numbers and spec phrases.

Everything here is recognised by shape (a number with `%`, a price with a per-million unit, a date after
"released") or by general knowledge (the names of public benchmarks), never by one page's wording.
All patterns are free of nested quantifiers, so a hostile line cannot make them slow.
"""

from __future__ import annotations

import re

# Public benchmark names. Case-sensitive where the name is also a word ("MATH" is not "math").
BENCH_RE = re.compile(
    r"(?<![\w-])(?:"
    r"(?i:MMLU[- ]?Pro|MMLU[- ]?Redux|MMLU|Massive Multitask Language Understanding|SuperGPQA|GPQA[- ]Diamond|GPQA|"
    r"Human[- ]?Eval\+?|MBPP\+?|GSM[- ]?8K|MGSM|MATH[- ]?500|MATH \(500\)|AIME[- ]?'?(?:20)?\d\d|"
    r"HMMT(?: Feb)?(?: 20\d\d)?|"
    r"SWE[- ]?bench(?: Verified| Pro| Lite)?|LiveCodeBench|Codeforces|HellaSwag|ARC[- ]Challenge|"
    r"ARC[- ]AGI(?:[- ]?\d)?|"
    r"TruthfulQA|IFEval|BIG[- ]Bench[- ]Hard|BBH|MT[- ]Bench|(?:LMSYS )?Chatbot Arena|LMArena|Arena Elo|SimpleQA|"
    r"Humanity's Last Exam|MuSR|OpenBookQA|MMMU|WinoGrande|Aider Polyglot|Terminal[- ]Bench|TAU[- ]?bench|"
    r"BrowseComp|LibriSpeech(?: test)?[- ](?:clean|other)|Common Voice|TED-?LIUM|MathVista|DocVQA|ChartQA|"
    r"MMMLU|Global[- ]MMLU|MMMU[- ]Pro|MMBench|LiveBench|Arena[- ]Hard(?:[- ]Auto)?|AlpacaEval(?: ?2(?:\.0)?)?|"
    r"EvalPlus|MultiPL[- ]E|CRUXEval|BFCL|AGIEval|TriviaQA|Natural ?Questions|PIQA|BoolQ|ARC[- ]Easy|"
    r"C[- ]Eval|CMMLU|LongBench(?: v2)?|Video[- ]MME|MathVision|AI2D|OCRBench|TextVQA|ZebraLogic|SciCode|"
    r"OSWorld|WebArena|SWE[- ]Lancer|CodeContests|DS[- ]1000|HealthBench|CharXiv|FACTS Grounding|"
    r"MuSiQue|HotpotQA|Natural2Code|EgoSchema|MRCR|NIAH)"
    r"|MATH|HLE|DROP|WER|APPS|BIRD|FRAMES|RULER|SQuAD"
    r")(?![\w-])"
)
# A number as written in prose; what follows it is inspected separately.
NUMBER_RE = re.compile(r"(?<![\w.,/$#€£-])(\d{1,4}(?:,\d{3})*(?:\.\d{1,3})?)(?![\d,]\d)")
# The unit right after a number: percent, a /100 or /10 rating, or arena Elo.
UNIT_RE = re.compile(r"\s?(%|percent\b|/\s?100\b|/\s?10\b)|\s(?=Elo\b)", re.IGNORECASE)
# Words that may follow a score directly; anything else ("of", "faster", "languages") means it is not one.
FOLLOWERS = frozenset(
    {"on", "in", "at", "for", "and", "vs", "versus", "against", "compared", "with", "while", "whereas",
     "respectively", "accuracy", "score", "pass", "em", "wer", "elo", "across", "but", "which", "when",
     "where", "ahead", "placing", "putting", "making", "among", "or", "correct", "success", "resolved",
     "solved", "overall", "average", "avg", "mean", "top", "zero", "few", "shot", "cot", "f1", "points", "pts"}
)  # fmt: skip
# Words right before a number that make it a bound, a change, a gap or a price, not a value.
NOT_VALUE_BEFORE_RE = re.compile(
    r"(?:\b(?:over|above|below|under|beyond|exceed(?:s|ing)?|surpass(?:es|ing)?|than|least|most|nearly|almost|"
    r"up to|to|from|by|(?:gap|margin|difference|improvement|increase|decrease|drop|gain|lead)(?:\sof)?|"
    r"top|#|no|rank(?:ed)?|version|v)|[><≥≤+±$€£#])\s*(?:~|≈)?\s*$"
    # a minus sign is attached to its number; a spaced dash after a name is a separator, after a number a range
    r"|(?:^|[\s(])[–—-](?:~|≈)?$|\d\s?%?\s?[–—-]\s*$",
    re.IGNORECASE,
)
# Sentence words that say a percentage is a share, a price change or a speed, not a benchmark result.
NOT_SCORE_CLAUSE_RE = re.compile(
    r"\b(?:cheaper|pricier|discount|price|pricing|cost|costs|faster|slower|latency|speed|throughput|"
    r"market share|share of|of users|of developers|of respondents|uptime|hallucination rate)\b",
    re.IGNORECASE,
)
# Right before a bare integer, these make it a stated score ("scores ~52", "at 86", "GPT-4o's 71").
BARE_SCORE_BEFORE_RE = re.compile(
    r"(?:\b(?:at|scores?|scored|scoring|reach(?:es|ed)?|hits?|posts?|posted|achieves?|achieved|gets?|got|"
    r"approximately|about|around|roughly)|['’]s|~|≈)\s?$",
    re.IGNORECASE,
)
# A number followed by a dash and another number is a range ("68–70"), not a value.
RANGE_AFTER_RE = re.compile(r"^\s?(?:%\s?)?(?:[-–—]|to\s)\s?\d")
RESPECTIVELY_RE = re.compile(r"^\W{0,3}(?:\w+\W+){0,4}?respectively\b", re.IGNORECASE)
PAIR_JOINER_RE = re.compile(r"^\s*(?:,\s*|\s)(?:vs\.?|versus|to|against)\s+$|^\s*(?:vs\.?|versus)\s+$", re.IGNORECASE)
LIST_JOINER_RE = re.compile(r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*/\s*)$", re.IGNORECASE)
# A benchmark named right after a score: "94.6% on AIME 2025".
ON_BENCH_RE = re.compile(r"^\s?(?:\(|(?:\w+\s){0,2}?(?:on|in|for|at)\s+(?:the\s+)?)?$")
# "1271 on Chatbot Arena": a bare integer right before an arena's name is an Elo rating.
ARENA_AFTER_RE = re.compile(r"\s(?:on|in|at)\s(?:the\s)?(?:LMSYS\s)?(?:Chatbot\sArena|LMArena|Arena)\b", re.IGNORECASE)
# "66.4% for B": the owner named right after a score.
FOR_OWNER_RE = re.compile(r"\s?(?:for|from|by)\s(?:the\s)?$")
# "an Elo of 1271": the unit stated before the number.
ELO_BEFORE_RE = re.compile(r"\bElo\s(?:score\s|rating\s)?(?:of\s)?$", re.IGNORECASE)

# Spec phrases ---------------------------------------------------------------------------------------
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.?"
_MONTH_DATE = (
    _MONTH + r"\s\d{1,2}(?:st|nd|rd|th)?,?\s\d{4}|\d{1,2}\s" + _MONTH + r",?\s\d{4}|"
    r"" + _MONTH + r"\s\d{4}|\d{4}-\d{2}(?:-\d{2})?"
)
_MAG = r"(?:\s?(?:[KkMB]\b|thousand\b|million\b|billion\b|trillion\b))"
_COUNT = r"\d[\d,]{0,9}(?:\.\d{1,3})?" + _MAG + "?"
CONTEXT_RES: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"(?<![\w.$])(?P<v>" + _COUNT + r")[- ]tokens?\sof\s(?:context|input)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?<![\w.$])(?P<v>" + _COUNT + r")(?:[- ]tokens?)?[- ](?:token[- ])?context(?:[- ](?:window|length|size))?\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\bcontext(?:[- ](?:window|length|size))?(?:\s(?:of|at|is|to|reaching|extends?\sto|up\sto|supports?)){0,3}"
        r"\s?[:(]?\s?(?:up\sto\s|about\s|around\s|approximately\s)?(?P<v>" + _COUNT + r")(?:[- ]tokens?)?(?!\w|\.\d)",
        re.IGNORECASE,
    ),
)
# "handles up to 200,000 tokens", "accepts prompts of 1 million tokens": a capacity stated with a verb.
CONTEXT_VERB_RE = re.compile(
    r"\b(?:handles?|handling|process(?:es|ing)?|accepts?|accepting|supports?|supporting|takes?|reads?|ingests?|fits?)"
    r"\s(?:inputs?\sof\s|prompts?\sof\s|documents?\sof\s)?(?:up\sto\s|as\smany\sas\s|over\s)?"
    r"(?P<v>" + _COUNT + r")[- ]tokens?\b(?!\s(?:of\s)?(?:output|per\b)|/)",
    re.IGNORECASE,
)
# "generates up to 8K tokens", "an output limit of 16,384 tokens".
OUTPUT_VERB_RE = re.compile(
    r"\b(?:(?:generates?|generating|outputs?|produces?|producing|writes?|emits?)\s(?:up\sto\s|a\smaximum\sof\s)?"
    r"|output\s(?:tokens?\s)?(?:limit|length|cap|ceiling)(?:\s(?:of|is|at))?\s?:?\s?(?:up\sto\s)?)"
    r"(?P<v>" + _COUNT + r")(?:[- ]tokens?)?(?!\w|\.\d)",
    re.IGNORECASE,
)
# "knowledge cutoff of December 2023", "training data up to April 2024", "Knowledge cut-off: 2023-10".
CUTOFF_RE = re.compile(
    r"\b(?:(?:knowledge|training(?:\sdata)?|data)\s?cut[- ]?off(?:\sdate)?|trained\son\sdata|training\sdata)"
    r"(?:\s(?:is|of|was|in|at|up\sto|until|through|from)){0,2}\s?[:-]?\s?(?:up\sto\s|until\s|through\s|of\s)?"
    r"(?P<d>" + _MONTH_DATE + r")",
    re.IGNORECASE,
)
CONTEXT_RES = (*CONTEXT_RES, CONTEXT_VERB_RE)
# "128K tokens": a token count with a magnitude (read as a context window only in a context section).
TOKENS_RE = re.compile(r"(?<![\w.$])(?P<v>\d[\d,]{0,9}(?:\.\d{1,3})?\s?(?:[KkM]\b|thousand\b|million\b))[- ]tokens?\b")
MAX_OUTPUT_RES: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"(?<![\w.$])(?P<v>" + _COUNT + r")(?:[- ]tokens?)?\s(?:max(?:imum)?\s)?output(?:\stokens?|\slimit)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\bmax(?:imum)?\soutput(?:\stokens?|\slength|\slimit)?(?:\s(?:of|is|at|to|up\sto)){0,2}\s?:?\s?"
        r"(?P<v>" + _COUNT + r")(?:[- ]tokens?)?(?!\w|\.\d)",
        re.IGNORECASE,
    ),
)
MAX_OUTPUT_RES = (*MAX_OUTPUT_RES, OUTPUT_VERB_RE)
# "GPT-4o family: 128,000 tokens", "Claude 3 (Anthropic): up to 200K tokens", "GPT-4.1 = 1M": a count set
# right after a model's name (read as its context window only on a page about context windows).
NAME_VALUE_RE = re.compile(
    r"\s?(?:\([^()]{0,40}\))?(?:\s(?:family|models?|series))?\s?(?P<sep>:|=)\s?(?:up\sto\s|about\s|~)?"
    r"(?P<v>" + _COUNT + r")(?P<t>[- ]tokens?)?(?![\w%$/]|\.\d)",
    re.IGNORECASE,
)
# "..., compared with 16K for Phi-4": a second value of the same kind, owned by the model after it.
VALUE_FOR_RE = re.compile(
    r"(?<![\w.$])(?P<v>" + _COUNT + r")(?:[- ]tokens?)?\s(?:for|on|in)\s(?:the\s)?$", re.IGNORECASE
)
PARAM_RE = re.compile(
    r"(?<![\w.$])(?P<v>\d[\d,]{0,6}(?:\.\d{1,3})?)(?P<m>\s?B\b|[- ]?billion\b|\s?T\b|[- ]?trillion\b)"
    r"(?P<rest>[- ](?:total[- ])?param(?:eter)?s?\b|\s(?:are\s|is\s)?active\b|\sactivated\b|\stotal\b)",
    re.IGNORECASE,
)
ACTIVATING_RE = re.compile(
    r"\bactivat(?:es|ing|ed)\s(?:only\s|just\s|about\s|roughly\s)?(?P<v>\d[\d,]{0,6}(?:\.\d{1,3})?)"
    r"(?P<m>\s?B\b|[- ]?billion\b)",
    re.IGNORECASE,
)
TOTAL_REACHING_RE = re.compile(r"\btotal\sparameter(?:s|\scounts?)?\s(?:of|reaching|at|is|are)\s", re.IGNORECASE)
PRICE_RE = re.compile(
    r"\$\s?(?P<v>\d[\d,]{0,6}(?:\.\d{1,4})?)\s?(?P<side1>input|output|prompt|completion)?"
    r"(?:\s?(?:per|/)\s?(?P<side3>input\s|output\s)?(?:one\s|1\s?)?"
    r"(?P<per>MTok\b|M\b|million\b|1M\b|K\b|1K\b|thousand\b|1,000,000\b|1,000\b)"
    r"(?:\s(?P<side2>input|output|prompt|completion))?(?:\s?tokens?)?)?",
    re.IGNORECASE,
)
# "$3/$15 per million tokens": the input and output prices, in that order.
PRICE_PAIR_RE = re.compile(
    r"\$\s?(?P<a>\d[\d,]{0,6}(?:\.\d{1,4})?)\s?/\s?\$\s?(?P<b>\d[\d,]{0,6}(?:\.\d{1,4})?)"
    r"\s?(?:per|/)\s?(?:one\s|1\s?)?(?:M|million|1M)\b(?:\s(?:input|prompt)\s?/\s?(?:output|completion))?",
    re.IGNORECASE,
)
PER_MILLION_AFTER_RE = re.compile(r"^\s?(?:per|/)\s?(?:one\s|1\s?)?(?:M|million|1M)\b", re.IGNORECASE)
LICENSE_RE = re.compile(
    r"\b(?i:under|licensed\sunder|license[ds]?:?|released\sunder|ships\sunder|with)\s(?:the\s|an?\s|its\sown\s)?"
    r"(?P<v>Apache[- ]2\.0|MIT|GPL[- ]?v?3(?:\.0)?|AGPL[- ]?v?3(?:\.0)?|BSD[- ]?\d?[- ]?(?:Clause)?|"
    r"CC[- ]BY(?:[- ][A-Z]{2}){0,2}[- ]?\d\.\d|"
    r"(?:[A-Z][\w.]*\s)(?:[A-Z0-9][\w.]*\s){0,3}(?:[Cc]ommunity\s)?[Ll]icen[cs]e)"
    r"|(?P<w>Apache[- ]2\.0|MIT|GPL[- ]?v?3(?:\.0)?|AGPL[- ]?v?3(?:\.0)?)[- ][Ll]icen(?:[cs]ed|[cs]e)\b"
)
OPEN_WEIGHTS_RE = re.compile(
    r"\bopen[- ]weights?\b(?!\s(?:rival|competitor|alternative|peer|leader|option)s?)"
    r"|\bweights\s(?:are|were|have been)\s"
    r"(?:publicly\s|freely\s|openly\s)?(?:available|released|downloadable|published|open)\b"
    r"|\b(?:is|as)\s(?:an?\s)?(?:fully\s)?open[- ]source\s(?:model|llm)\b",
    re.IGNORECASE,
)
# "can be self-hosted", "runs locally", "run it on your own hardware": the model can be deployed by its user.
SELF_HOST_RE = re.compile(
    r"\bself[- ]host(?:ed|able|ing)?\b|\brun(?:s|nable|ning)?\s(?:[\w.-]+\s){0,3}?(?:fully\s)?(?:locally|offline)\b"
    r"|\brun(?:s|nable)?\s(?:it\s)?on\syour\sown\s(?:hardware|machine|gpus?|servers?)\b",
    re.IGNORECASE,
)
NEGATION_BEFORE_RE = re.compile(
    r"\b(?:not|no|nobody|cannot|can't|unable|never|isn't|doesn't|don't|without)\b[^,;.]{0,16}$", re.IGNORECASE
)
RELEASE_RE = re.compile(
    r"\b(?:released|launched|shipped|debuted|unveiled|came\sout|release\sdate(?:\sof|\swas|:)?)\s(?P<between>(?:[^.;:]|\.(?=\d)){0,60}?)"
    r"(?:on\s|in\s)?(?P<d>" + _MONTH + r"\s\d{1,2}(?:st|nd|rd|th)?,?\s\d{4}|\d{1,2}\s" + _MONTH + r",?\s\d{4}|"
    r"" + _MONTH + r"\s\d{4}|\d{4}-\d{2}-\d{2})\b",
    re.IGNORECASE,
)
ORDINAL_RE = re.compile(r"(\d)(?:st|nd|rd|th)\b")
# A parameter count in a list ("37 billion and 21 billion", "671B, 236B"): a number with a billion unit.
PARAM_VALUE_RE = re.compile(r"(?<![\w.$])(?P<v>\d[\d,]{0,6}(?:\.\d{1,3})?)(?P<m>\s?B\b|[- ]?billion\b)", re.IGNORECASE)
# Words next to a list of counts that say which count it is.
ACTIVE_WORD_RE = re.compile(r"\bactiv(?:e|ated?|ates|ating)\b", re.IGNORECASE)
TOTAL_WORD_RE = re.compile(r"\btotals?\b|\bparam(?:eter)?s?\b", re.IGNORECASE)
_NUM = r"\d[\d,]{0,6}(?:\.\d{1,4})?"
_SIDE_NAME = r"(?:\s(?:price|pricing|cost|tokens?))?\s?(?::|is|at|of)?\s?"
# "Input price $2.00 / Output $8.00", "input: $3, output: $15": both sides named, each with its own price.
SIDE_PAIR_RE = re.compile(
    r"\b(?:input|prompt)" + _SIDE_NAME + r"\$\s?(?P<a>" + _NUM + r")"
    r"(?P<pa>\s?(?:per|/)\s?(?:1\s?|one\s)?(?:M|million|1M)\b)?(?:\stokens?)?"
    r"\s?(?:/|,|;|\||and|&)\s?(?:and\s)?(?:output|completion)" + _SIDE_NAME + r"\$\s?(?P<b>" + _NUM + r")",
    re.IGNORECASE,
)
# "$0.10 in / $0.40 out": both sides abbreviated after their prices.
IN_OUT_PAIR_RE = re.compile(
    r"\$\s?(?P<a>" + _NUM + r")\s?(?:in|input)\b\s?[/,|]\s?(?:and\s)?\$\s?(?P<b>" + _NUM + r")\s?(?:out|output)\b",
    re.IGNORECASE,
)
# A token unit somewhere in the sentence: prices without their own unit are per this.
TOKEN_UNIT_RE = re.compile(r"(?:per|/)\s?(?:1\s?)?(?:M|MTok|million|1M|K|1K|thousand)\b|\btokens?\b", re.IGNORECASE)
# A count right after "per" or "/" is a price's unit ("$0.60/1M output tokens"), not a token limit.
UNIT_BEFORE_RE = re.compile(r"(?:/|\bper)\s?$", re.IGNORECASE)
# "Gemma is text-only": one input modality.
TEXT_ONLY_RE = re.compile(r"\btext[- ]only\b", re.IGNORECASE)
# A price per something other than tokens ("$20/month", "$0.006 per minute"): never a token price.
OTHER_PER_RE = re.compile(
    r"\s?(?:/|per\s|a\s)\s?(?:mo(?:nth)?|year|yr|user|seat|hour|hr|minute|min|image|request|call|page|second|sec)\b",
    re.IGNORECASE,
)
# Modalities a model takes in: "accepts text, audio, image and video", "supports text and image input".
_MOD = r"(?:text|images?|audio|video|speech|voice|vision|code)"
MODALITY_RE = re.compile(
    r"\b(?:accepts?|accepting|supports?|supporting|takes?|taking|handles?|handling|processes|processing|"
    r"understands?|ingests?)\s(?:both\s|inputs?\sof\s|multimodal\sinputs?\s(?:of|like|such\sas|including)\s)?"
    r"(?P<l>" + _MOD + r"(?:(?:,\s?|\s)(?:and\s|or\s|&\s|/\s?)?" + _MOD + r"){0,5})"
    r"(?P<i>[- ]?(?:inputs?|prompts?)\b|\sas\sinputs?\b)?(?P<end>\s?(?:[,.;)]|$|\sand\s(?:returns?|outputs?|produces?|"
    r"generates?|responds?))|\s(?:,\s)?(?:but|while)\b)?",
    re.IGNORECASE,
)
INPUT_MODALITIES_RE = re.compile(
    r"\b(?:input\smodalit(?:y|ies)|modalit(?:y|ies)|inputs?)\s?:\s?(?P<l>"
    + _MOD
    + r"(?:(?:,\s?|\s)(?:and\s|or\s|&\s|/\s?)?"
    + _MOD
    + r"){0,5})(?![\w-])",
    re.IGNORECASE,
)
# "Claude 3 Opus is proprietary", "X remains closed-source": a licence stated as an adjective of the model.
PROPRIETARY_RE = re.compile(
    r"\b(?:is|remains|stays|was)\s(?:an?\s)?(?:fully\s|entirely\s|strictly\s|still\s)?"
    r"(?P<p>proprietary|closed[- ]source|closed[- ]weights?)\b",
    re.IGNORECASE,
)
# "39B active parameters out of 141B", "activating 22B from a total of 235B": the total after the active count.
OF_TOTAL_RE = re.compile(
    r"\bactiv(?:e|ated|ating)\b(?:\sparam(?:eter)?s?)?(?:\s(?:per|for\seach)\stoken)?,?\s(?:out\sof|of|from|among)\s"
    r"(?:a\stotal\s(?:of\s)?|the\s)?(?P<v>\d[\d,]{0,6}(?:\.\d{1,3})?)(?P<m>\s?B\b|[- ]?billion\b)"
    r"(?!\s?(?:tokens?|words?))",
    re.IGNORECASE,
)
# Values that come in lists given in order to a list of models ("8K and 128K", "$0.30 and $0.10", dates).
TOKEN_VALUE_RE = re.compile(
    r"(?<![\w.$/])\d[\d,]{0,9}(?:\.\d{1,3})?\s?(?:[KkM]\b|thousand\b|million\b)|(?<![\w.$/])\d{1,3}(?:,\d{3})+\b"
)
PRICE_VALUE_RE = re.compile(r"\$\s?" + _NUM + r"\b")
DATE_VALUE_RE = re.compile(r"\b(?:" + _MONTH_DATE + r")\b", re.IGNORECASE)
CONTEXT_WORD_RE = re.compile(r"\bcontext\b", re.IGNORECASE)
OUTPUT_WORD_RE = re.compile(r"\boutput\b|\bcompletion\b", re.IGNORECASE)
INPUT_WORD_RE = re.compile(r"\binput\b|\bprompt\b", re.IGNORECASE)
RELEASE_WORD_RE = re.compile(r"\b(?:released|launched|release\sdates?|debuted|shipped)\b", re.IGNORECASE)
