"""Checks on how the reply treats the reader: greeting, empathy, next steps, thanks,
and the three answers an incident reply owes.

Their phrase lists live in the rule files (keys ending in `_phrases`), so a
lead can add a team's own wordings; the code here only decides when a phrase
is needed and where to point when it is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..context import Context
from ..document import Document, Span, fold_words
from ..engine import finding
from ..extract import find_money, has_timeframe
from ..model import Finding
from ..registry import register
from ..resources import compound_sentiment, known_word, spelling_candidates
from ..ruleset import Rule, RuleSet

_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "herr", "frau"}


def anchor(doc: Document) -> Span:
    """Where a missing opening sentence belongs: the first sentence after the greeting."""
    sentences = doc.body_sentences or doc.sentences
    if doc.salutation and len(sentences) > 1 and sentences[0][0] == doc.salutation[0][0]:
        line_end = doc.active.find("\n", sentences[0][0])
        if line_end < 0 or sentences[0][1] <= line_end:
            return sentences[1]
    return sentences[0]


def last_body_sentence(doc: Document) -> Span:
    sentences = doc.body_sentences or doc.sentences
    return sentences[-1]


def search_body(rule: Rule, key: str, doc: Document) -> list[re.Match[str]]:
    pattern = rule.compiled[key]
    # FollowUp.Missing and FollowUp.Timeframe (and the empathy pair) search with
    # the same lists; re.compile hands back the same object for the same
    # pattern, so one search per reply serves both.
    cache_key = (id(pattern), doc.body_end)
    if cache_key not in doc.memo:
        doc.memo[cache_key] = (pattern, list(pattern.finditer(doc.active, 0, doc.body_end)))
    return doc.memo[cache_key][1]


_HONORIFIC = re.compile(r"-(?:san|sama|sensei|kun|chan|ssi|nim|ji|sahib|ke)$")


def _first_name(contact: str) -> str:
    words = [w for w in contact.replace(",", " ").split() if w.lower().rstrip(".") not in _TITLES]
    return words[0] if words else contact


@register("greeting_present")
def greeting_present(doc: Document, rule: Rule, ctx: Context, rules: RuleSet) -> Iterator[Finding]:
    if doc.salutation is not None:
        return
    first = doc.sentences[0]
    # "Derek – 10-58832 paid today": the contact's name, set off at the start, greets.
    if ctx.contact_name:
        names = [w for w in ctx.contact_name.replace(",", " ").split() if len(w) > 1]
        names = [w for w in names if w.lower().rstrip(".") not in _TITLES]
        opening = doc.active[first[0] : first[0] + 80]
        for name in names:
            if re.match(rf"(?:{re.escape(name)})\s*(?:[,:–—]|\s-\s)", opening):
                return
            # Thanks spoken to the name first: "Thanks Arjun, noted.", "Thank you, Ana!"
            if re.match(
                rf"(?:many\s+thanks|thanks|thank\s+you|cheers)(?:\s+(?:so|very)\s+much)?,?\s+"
                rf"{re.escape(name)}\s*[,.!:–—]",
                opening,
                re.IGNORECASE,
            ):
                return
        # A short first line that ends on the name: a greeting in another language
        # ("Dobrý den Tomáš,", "Dzień dobry Piotr,"), maybe with a comma inside and the
        # name in its vocative ("Dobrý den, pane Dvořáku,").
        line_end = doc.active.find("\n", first[0])
        line = doc.active[first[0] : len(doc.active) if line_end < 0 else line_end].rstrip()
        for name in names:
            if re.fullmatch(
                rf"(?:[^\W\d_][\w'’-]*,?\s+){{1,3}}{re.escape(name)}[^\W\d_]{{0,2}}\s*[,:!]", line
            ):
                return
        # The name in the opening sentence, spoken to: "Thank you for checking, Isabel!"
        here = doc.active[first[0] : first[1]]
        for name in names:
            if re.search(rf",\s*{re.escape(name)}\s*[!.,]?\s*$", here):
                return
    name = _first_name(ctx.contact_name) if ctx.contact_name else "there"
    yield finding(rule, first, suggestion=f"Hi {name},")


def _company_form(rule: Rule, name: str) -> str | None:
    """The legal form ending `name` ("Ltd", "GmbH", "Lda"): a company, not a person."""
    name = name.strip().rstrip(".").rstrip()
    for match in rule.compiled["company_phrases"].finditer(name):
        if match.end() >= len(name):
            return match.group()
    return None


# The name the customer signed their message with, on its own after the last sentence
# or sign-off ("What's that for? Sam", "Thanks,\nBob"): the name they go by.
_SIGNED_NAME = re.compile(r"(?:^|[.!?,:\n])\s*((?:[A-Z][\w'’-]*\.?\s+){0,2}[A-Z][\w'’-]+)\s*$")


@register("greeting_name", generic_phrases=[], company_phrases=[])
def greeting_name(doc: Document, rule: Rule, ctx: Context, rules: RuleSet) -> Iterator[Finding]:
    if not ctx.contact_name or doc.salutation is None:
        return
    span, addressee = doc.salutation
    name_words = set(fold_words(ctx.contact_name)) - _TITLES
    signed = _SIGNED_NAME.search((ctx.customer_message or "").strip())
    if signed and not rule.compiled["generic_phrases"].fullmatch(signed.group(1).lower()):
        name_words |= set(fold_words(signed.group(1))) - _TITLES
    # A name with an honorific attached ("Tanaka-san", "Kim-ssi") is still the name.
    said = [_HONORIFIC.sub("", word) for word in fold_words(addressee)]
    first_name = _first_name(ctx.contact_name)
    # "Hello Carvalho Lda": the company's name, even when it holds the person's.
    if _company_form(rule, addressee) and not _company_form(rule, ctx.contact_name):
        yield finding(
            rule,
            span,
            f"'{addressee}' is a company. Greet the person you are writing to, "
            f"{ctx.contact_name}, by name.",
            f"Hi {first_name},",
        )
        return
    if any(word in name_words for word in said):
        return
    generic = rule.compiled["generic_phrases"]
    if (
        not said
        or generic.fullmatch(addressee.strip().rstrip("."))
        or all(word in _TITLES for word in said)
    ):
        message = f"Greet {ctx.contact_name} by name; a generic greeting reads like a form letter."
    else:
        message = (
            f"The greeting says '{addressee}', but the contact on this case is "
            f"{ctx.contact_name}. Check the name before sending."
        )
    yield finding(rule, span, message, f"Hi {first_name},")


# What makes a message read as frustrated beyond its sentiment score: finance
# customers are polite even when angry ("this is the third reminder"), which a
# general-purpose sentiment model scores as neutral.
FRUSTRATION_MARKERS = [
    r"unacceptable",
    r"(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) (?:(?:late|overdue|missed|wrong|failed"
    r"|unpaid|short|duplicate|incorrect) )?(?:time|reminder|e-?mail|request|chaser"
    r"|invoice|payment|delay|mistake|error|month|week|quarter|year)",
    r"still (?:not|no|haven['’]t|hasn['’]t|waiting|nothing|outstanding|unpaid)",
    r"yet again|once again|again and again",
    r"(?:no one|nobody|no-one) (?:has |ever )?(?:replied|replies|answered|answers|responded"
    r"|responds|got back|gets back|called|helped|told|explained|informed|warned|gave|bothered|paid"
    r"|processed|actioned|fixed|sorted|dealt with)",
    # Harm the delay did to the writer: "I have had to delay paying my own staff".
    r"(?:had|have|having) to (?:delay|postpone|defer|borrow|cancel|lay off|take out a loan"
    r"|pre-?finance|front|advance)",
    r"ignored|ignoring",
    r"ridiculous|absurd|outrageous|disgraceful|appalling|shocking|terrible|awful",
    r"fed up|sick of|tired of|had enough",
    r"furious|angry|livid|annoyed|annoying|irritated|irritating|infuriating|frustrated|frustrating"
    r"|upset|disappointed|disappointing",
    r"chas(?:ed|ing)|(?:have|had|has|having|need) to chase",
    r"how many times",
    r"(?:weeks?|months?) (?:now|overdue|late)",
    r"escalat(?:e|ing)|complaint",
    # Polite anger: sarcasm, being passed around, having to demand answers.
    r"(?:a|this is a|is this a|what a) joke",
    r"passed (?:around|on|from (?:person to person|pillar to post)|to (?:someone|somebody) else)",
    r"every (?:single )?(?:time|thing)",
    # A rhetorical question: "Do I really have to chase every single thing with you?"
    r"(?:do|must|should|why do|why should) (?:I|we) (?:really |always |even )?(?:have|need) to",
    r"since (?:the (?:start|beginning) of|early|last)",
    r"(?:I|we) (?:want|demand|expect|would like) (?:an? |my |our )?(?:explanation|answer|refund"
    r"|apology|money back)",
    # A demand for an immediate fix: "I expect this to be fixed immediately."
    r"(?:I|we) (?:want|demand|expect|need) (?:this|it|that|them|the \w+) (?:to be )?\w+"
    r"(?: \w+)? (?:immediately|at once|right away|right now|today|this week|without delay)",
    r"(?:although|even though|despite) (?:we|I) (?:had |have )?(?:already )?(?:paid|sent|did"
    r"|have|gave|told|provided|informed|notified|updated|submitted|asked|returned|cancell?ed"
    r"|closed|settled)",
    # A bare order to put it right: "Fix this.", "Sort it out now.", "Please fix it."
    r"(?:^|(?<=[.!?]\s))(?:please )?(?:fix|sort|correct|refund|cancel) (?:this|it|that|one|both"
    r"|them|the (?:difference|duplicate|extra|overcharge))(?: out)?"
    r"(?: now)?[.!]",
    # What we were told and ignored: "which we closed in January and told you about".
    r"(?:told|informed|notified|warned) you (?:about|of)\b|(?:and|as) (?:we|I)"
    r" (?:told|informed|notified) you",
    r"never (?:arrived|came|reached|got here|turned up|showed up)",
    r"(?:we|I) did nothing wrong|not (?:our|my) fault",
    r"what is going on|keep (?:sending|asking|chasing)",
    # Patience running out, promises broken, being told the same thing: "I am losing my
    # patience", "your team keeps saying next week", "nothing ever happens", "you people".
    r"(?:los(?:e|es|ing|t)|lost|run(?:ning)? out of|out of|testing|tried)"
    r" (?:my |our |all )?patience"
    r"|patience (?:is |has )?(?:running|wearing|worn|run|growing) (?:out|thin)",
    r"(?:keeps?|kept|keep on) (?:saying|promising|telling|sending|asking|chasing|getting"
    r"|receiving|happening|changing|moving|slipping)",
    r"nothing (?:ever |still )?(?:happens|happened|changes|changed|gets done|got done|moves)"
    r"|(?:never|no) (?:hear|heard|reply|replies|answer|answers|response|responses) (?:back|from)",
    r"\byou people\b|(?:empty|broken) promises",
    # Discontent said outright, a wait measured in weeks, silence, the last straw.
    r"not (?:happy|impressed|acceptable|good enough)|unhappy|dissatisfied|unprofessional"
    r"|embarrass\w*|let down|poor (?:service|communication)",
    r"(?:it[’']s|it has|it is now|that[’']s) been (?:over |more than |almost |nearly |a good )?"
    r"(?:\w+ )?(?:weeks|months|a month|a fortnight)",
    r"(?:no|zero|not a single|not one|not even an?) (?:reply|response|answer|update|word|call)"
    r"(?:s)?\b(?! is needed| needed| required)",
    r"(?:the )?last straw|(?:this|that) is the (?:last|final) time",
    # Harm done and a relationship in doubt: "charging us overdraft fees because of
    # you", "considering whether to keep supplying you".
    r"because of you\b|overdraft|overdrawn|paid (?:us )?late|(?:always|keep) paying late",
    # Being chased or told off, and saying so: "Why am I getting a reminder already?",
    # "a bit heavy-handed", "get your records straight before chasing us".
    r"why (?:am|are|is) (?:I|we|my|our) (?:\w+ )?(?:getting|receiving|being (?:sent|chased|charged"
    r"|asked|threatened|reminded))",
    r"heavy[- ]handed|over the top|uncalled for|condescending|patroni[sz]ing|insulting"
    r"|(?:rude|harsh|aggressive|threatening) (?:tone|reminder|letter|e-?mail|message)",
    r"get (?:your|their) (?:records|act|house|facts|accounts|books) (?:straight|in order|right"
    r"|together)|sort (?:out )?your (?:records|act|books)"
    r"|before (?:chasing|threatening|charging|contacting|reminding) (?:us|me)",
    r"(?:considering|thinking (?:about|of)|reconsidering|reviewing) (?:whether|if) (?:to|we|I)"
    r"|take (?:our|my) business elsewhere"
    r"|(?:stop|stopping) (?:supplying|working with|doing business)",
    # Money that has not come, and what it costs the writer: "Where is our money?",
    # "we have received nothing", "I've got wages to pay", "always pays late".
    r"where(?:['’]s| is| are) (?:our|my|the) (?:money|payments?|refund|funds|transfer)",
    r"(?:have|has|had|we|I)(?: still)? (?:received|seen|had|got|gotten) nothing"
    r"|nothing (?:has )?(?:arrived|come through|come in|reached (?:us|me)|turned up|landed)"
    r"|nothing is in (?:my|our) (?:\w+ )?account",
    r"(?:wages|salaries|payroll|staff|rent|bills|my suppliers|our suppliers|taxes) to pay",
    r"always (?:pay|pays|paying|paid|late|behind)|not excuses|no more excuses",
    # Worn out by it, stuck, and having said it before: "Honestly this is exhausting", "stuck
    # for a month", "I've sent the form three times now", "Is anyone actually reading these?".
    r"exhausting|exhausted|draining|stuck (?:for|since|in limbo)",
    r"(?:pointed|told|asked|sent|said|written|wrote|explained|mentioned|raised|called|e-?mailed|tried"
    r"|rung|rang|chased|submitted)\b[^.!?\n]{0,40}?\b(?:twice|(?:three|four|five|six|several|many"
    r"|multiple|\d+) times)",
    r"is (?:anyone|anybody|someone) (?:actually |even |really )?"
    r"(?:reading|listening|there|looking)",
    # Sarcasm and disbelief: "Great to see our invoices are such a priority", "Love getting
    # a reminder for an invoice we paid", "Interesting invoice.", "Unbelievable.", "is
    # someone actually going to pay it?", "maybe check your own bank account".
    r"(?:^|(?<=[.!?]\s))(?:great|love|lovely|nice|brilliant|fantastic|wonderful|amazing|so glad)"
    r" (?:to see|seeing|getting|to get|receiving|to receive|being (?:chased|told|sent|reminded))"
    r"|(?:^|(?<=[.!?]\s))interesting (?:invoice|reminder|letter|statement|approach|choice)s?[.!]",
    r"unbelievable|incredible(?= ?[.!?])|(?:you|your team|they) (?:forgot|neglected|failed)"
    r" to (?:tell|inform|mention|let)",
    r"(?:is|are) (?:anyone|anybody|someone|somebody|you) (?:actually|ever|even|really) going to",
    r"(?:check|look at|read|sort out) your own\b",
    r"(?:and )?now (?:I|we) (?:get|got|receive|received|am getting|are getting) (?:a|another|an?)"
    r" (?:\w+ )?(?:reminder|chaser|demand|letter|invoice)",
    r"\d+ days (?:overdue|late)|(?:waited|been patient|put up with (?:this|it)) long enough",
    r"(?:stop|stopping) (?:delivering|deliveries|shipping|work)\b",
    # What the delay or the mistake costs the writer, and a plea for help: "It's a tight
    # month and I need to pay my staff", "This left us short for payroll", "We are a small
    # installer and this payment is very important for us", "Please help."
    r"(?:tight|difficult|hard|tough) (?:month|week|time)|cash (?:flow )?is (?:\w+ )?tight"
    r"|(?:need|have|has|got) to pay (?:my|our) (?:staff|wages|employees|people|team|suppliers"
    r"|rent|bills|salaries)",
    r"(?:left|leaving|leaves) (?:us|me) (?:short|out of pocket|unable to|without)",
    r"(?:we are|we['’]re|I am|I['’]m) (?:just |only )?a small (?:[\w-]+ )??\w+"
    r"|(?:payment|money|invoice|amount) is (?:very |really |extremely |so )?(?:important|urgent"
    r"|critical|vital)",
    r"(?:^|(?<=[.!?]\s))(?:please|pls) help(?: (?:us|me))?[.!]",
    # The amount contested, with us as the doer: "You paid DV-8821 short", "You've taken
    # 640 pounds twice", "We never agreed a rebate". Not "was paid short. Was this tax?".
    r"\byou(?:['’]ve| have)? (?:paid|charged|taken|debited|billed|invoiced|deducted|collected)\b"
    r"[^.!?\n]{0,30}?\b(?:short|twice|double|again)\b"
    r"|(?:we|I) (?:never|did not|didn['’]t) (?:agree|agreed|sign|signed|authori[sz]e|authori[sz]ed"
    r"|approve|approved|accept|accepted|order|ordered) (?:to )?(?:a|an|any|this|that|the|it)\b",
    # What the wait costs the writer's business, and a long relationship put in the balance:
    # "our cash flow is suffering", "shops are without stock", "after eight years of working
    # together", "We do not accept this deduction".
    r"cash ?flow (?:is |has been |was )?(?:really |badly |seriously |now )?(?:suffering|hurting"
    r"|struggling|under (?:pressure|strain)|squeezed|stretched)",
    r"(?:are|is|were|was|been|left|now) (?:\w+ )?without (?:stock|goods|cash|money|pay|wages"
    r"|salar(?:y|ies)|power|electricity|water|heating|supplies|materials|inventory|internet)\b",
    r"after (?:\w+ )?(?:years?|decades?) of (?:working together|business|partnership|loyal\w*"
    r"|cooperation|doing business|trading|good (?:business|relations|service))",
    r"(?:we|I) (?:do not|don['’]t|cannot|can['’]t|will not|won['’]t) accept (?:this|the|your|that"
    r"|any) (?:claim|deduction|charge|fee|decision|debit|penalty|reduction|short[- ]?payment)",
    # Sarcasm, blame asked for, and having told a colleague before: "Wow.", "I suppose we
    # should be grateful", "Who is responsible for this mess?", "I told your sales rep".
    r"(?:^|(?<=[.!?]\s))wow[.!]|(?:I|we) (?:suppose|guess) (?:I|we) should be (?:flattered"
    r"|grateful|thankful|pleased|happy|impressed|honou?red)",
    r"who(?:['’]s| is) (?:responsible|to blame|accountable) for (?:this|that|the|all this)\b"
    r"|(?:this|what a|such a|the whole) (?:mess|fiasco|shambles|farce)\b",
    r"(?:told|informed|notified|warned|advised) your (?:[\w-]+ ){0,2}(?:manager|team|colleagues?"
    r"|rep|representative|department|office|staff|people|buyer)\b",
    # Distress at the amount: "three times our usual bill", "no idea how we will pay this".
    r"(?:two|three|four|five|six|ten|\d+) times (?:the|our|my|what (?:we|I)) (?:normal|usual"
    r"|average|typical|expected|regular)\b"
    r"|(?:double|triple) (?:the|our|my) (?:normal|usual|average)",
    r"(?:don['’]t|do not|have no idea|no idea) (?:know )?how (?:we|I)(?:['’]re| are| am|['’]m)?"
    r" (?:going to|gonna|will|can|could|are supposed to|am supposed to) (?:pay|afford|manage"
    r"|cope|survive|cover|keep going)",
    # Kept waiting, told different things, a promise gone by, payment withheld in protest:
    # "30 days past due", "I get a different answer each time", "held on the line for an
    # hour", "Still nothing.", "it really matters to us", "we won't pay it until someone
    # explains", "last time I looked".
    r"\d+ days past due"
    r"|different (?:answer|story|excuse|date|person) (?:each|every) (?:time|call|day)"
    r"|(?:each|every) (?:time|call|day)\b[^.!?\n]{0,30}?\bdifferent (?:answer|story|excuse|date)"
    r"|(?:yet )?another different (?:answer|story|excuse|date)",
    r"on hold\b[^.!?\n]{0,40}?\bfor (?:over |more than |almost |nearly |about )?(?:\d+|an?|half an"
    r"|two|three|forty|thirty|twenty) (?:minutes|mins|hours?)",
    r"(?:^|(?<=[.!?]\s))(?:still )?nothing(?: received| arrived| paid)?(?: yet| so far| since"
    r"| at all)?[.!]",
    r"(?:this|it|that|the (?:money|payment|refund)) (?:really |truly )?matters"
    r" (?:to|for) (?:me|us)",
    r"(?:not|won['’]t|will not|am not|are not|aren['’]t|I['’]m not|we['’]re not)"
    r" (?:be )?pay(?:ing)? (?:this|it|that|the|your|any)\b[^.!?\n]{0,30}?\buntil\b",
    r"last (?:time|I) (?:I )?(?:checked|looked)",
    # Frustration between the lines: a one-word sarcastic opener, the nth copy, a failure
    # learnt of only now, disbelief, money not received, grudging thanks for paying "at
    # all", and the writer's own people waiting or pulled off the job: "Wonderful.", "a
    # fourth copy of the same invoice", "now hear that it was never registered", "How is
    # this possible?", "we have not received anything", "my operators want paying".
    r"(?:^|(?<=[.!?]\s))(?:wonderful|great|brilliant|fantastic|lovely|perfect|marvell?ous"
    r"|terrific|super|charming)[.!]",
    r"(?:second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)) (?:copy|copies|version|letter"
    r"|statement|call)\b",
    r"(?:^|(?<=[.!?]\s)|\band )now (?:(?:I|we) )?(?:hear|learn|find out|discover|am told"
    r"|are told|get told)\b",
    r"(?:was|were|been|is|has) never (?:registered|processed|logged|received|recorded|entered"
    r"|booked|actioned|forwarded|passed on|answered|paid|picked up)\b",
    r"how (?:is|was|can|could) (?:this|that|it) (?:be )?(?:possible|happen(?:ed)?)\b",
    r"(?:have|has|had)(?: still)? not (?:received|seen|had|got|gotten) (?:anything|a (?:thing"
    r"|cent|penny|single \w+))\b",
    r"\bstill\b[^.!?]{0,40}?\b(?:is|are|has|have|was)(?: still)? not (?:been )?(?:paid"
    r"|received|processed|settled|approved)\b",
    r"(?:you|they|anyone|anybody) (?:pay|paid|reply|replied|answer|answered|bother|bothered"
    r"|respond|responded)(?: us| me)? at all\b",
    r"(?:my|our) (?:operators|staff|workers|crews?|people|team|guys|men|employees|drivers)"
    r" (?:want|need|expect) (?:paying|to be paid|their (?:money|wages|pay))"
    r"|pull(?:ing)? (?:my|our|the) (?:crews?|team|staff|people|workers|trucks|equipment|men"
    r"|guys|operators)\b[^.!?\n]{0,20}?\boff\b",
    # Patience claimed, work or supply held back in return, the relationship in doubt, and
    # a tiny firm: "I have been patient", "or we put the job on hold", "No more trays will
    # leave our warehouse", "I need to know if we continue working together", "I am a
    # three person workshop", "even after 60 days nothing".
    r"(?:I|we)(?:['’]ve| have)(?: really| very| more than| extremely| been very)? been"
    r" (?:very |more than |extremely |really |incredibly |more than enough )?patient\b",
    r"(?:put|putting|place|placing) (?:the|this|your|our|all|any|further) (?:[\w-]+ )?(?:job"
    r"|jobs|work|order|orders|account|deliveries|shipments?|project|production) on (?:hold|stop)",
    r"\bno (?:more|further) (?:[\w-]+ ){0,2}?(?:will|can|is going to|are going to)"
    r" (?:leave|ship|be (?:shipped|delivered|sent|released|dispatched))\b",
    r"(?:if|whether) (?:we|I) (?:should |can |will |want to |are going to )?(?:continue|keep|carry"
    r" on|go on) (?:working|doing business|supplying|trading|to work)",
    r"(?:we are|we['’]re|I am|I['’]m|I run|we run|(?:it|this) is) (?:just |only )?an? (?:one|two"
    r"|three|four|five|six|\d+)[- ](?:person|man|woman|people|employee|staff)\b",
    r"even after (?:\w+ ){0,2}(?:days|weeks|months)\b[^.!?\n]{0,20}?\b(?:nothing|no \w+)",
    # Help refused between the lines, and the same failure found again: "What am I supposed
    # to do?", "Your finance team keeps finding new reasons", "What is missing this time?",
    # "now apparently the price".
    r"what (?:am I|are we|is (?:one|anyone|a supplier)) (?:supposed|meant|expected) to do\b",
    r"(?:no one|nobody|no-one) (?:has |had |ever )?(?:sent|asked|mentioned|said|warned)\b",
    r"(?:keeps?|kept) (?:finding|coming up with|inventing|adding|raising) (?:new|more|another"
    r"|other|different)\b",
    r"\bthis time\s*\?|\bnow,? apparently\b"
    # An answer asked for "this time", as if not given the last: "I would appreciate an
    # update this time."
    r"|(?:appreciate|like|expect|want|need|hope for|ask for)\b[^.!?\n]{0,30}?\bthis time\s*[.!]",
    # Sarcastic thanks, praise and questions: "Thank you for the lovely reminder", "Very
    # efficient.", "Should I expect another one tomorrow?", "Any chance they might come home
    # this month?".
    r"(?:thank you|thanks|grateful) for (?:the|your|this|that|another) (?:lovely|kind|friendly"
    r"|charming|wonderful|prompt|helpful|nice|thoughtful|timely) (?:reminder|chaser|letter|demand"
    r"|notice|fee|charge|statement|warning)",
    r"(?:^|(?<=[.!?]\s))(?:very|how|so|most|truly|really) (?:efficient|helpful|professional"
    r"|reassuring|kind|thoughtful|organi[sz]ed|impressive|quick)[.!]",
    r"should (?:I|we) expect (?:another|more|a (?:new|further|fresh))\b",
    r"any chance\b[^.!?\n]{0,50}?\b(?:this (?:month|week|year|quarter|century|decade)"
    r"|before (?:christmas|the end of the year|year-end)|at all|ever)\s*\?",
    # Having read or said it several times over, someone asked to "actually" read it, and a
    # check asked for before the next letter or bill: "I have read clause 9 three times now",
    # "I would appreciate someone actually reading it", "Please check before you send these
    # letters", "before sending me a bill".
    r"\bread\b[^.!?\n]{0,30}?\b(?:twice|(?:three|four|five|several|many|multiple|\d+) times)",
    r"(?:someone|somebody|anyone|anybody|you) (?:actually|even|really|properly) (?:read(?:ing)?"
    r"|look(?:ing)? at|check(?:ing)?|listen(?:ing)? to)\b",
    r"(?:check|look|read|think) (?:\w+ )?before (?:you )?(?:send(?:ing)?|chas\w+|writ\w+"
    r"|bill\w*|charg\w+|threaten\w*)\b|before (?:sending|billing|charging|invoicing) (?:me|us)\b",
    # Displeasure said outright, and a charge questioned: "I don't appreciate being charged",
    # "Why is there a $95 late fee on our statement?".
    r"(?:I|we) (?:do not|don['’]t|did not|didn['’]t) (?:appreciate|like) (?:being|getting|to be"
    r"|the tone|your tone|this|that)\b",
    r"why (?:is|are) there (?:an? |any |these |this )?(?:\S+ ){0,2}?(?:fees?|charges?"
    r"|penalt(?:y|ies)|surcharges?|interest)\b",
    # What has happened to the writer, said between the lines: their own people waiting
    # and pressing them, a bill of their own falling due, a promise we did not keep, having
    # told us before, writing again, being fobbed off by an automatic reply, going round in
    # circles, a charge that seems steep for a long-standing customer, a refusal to approve,
    # and a recap or one-liner in irony: "our members are asking me every day", "I've got
    # drivers to pay", "I have rent due", "he said he would come back. He did not.", "We
    # wrote to you in February", "just me again", "It's been 47 days", "I'm done going back
    # and forth", "I'm not approving that", "So let me see if I understand", "Great system."
    r"(?:our|my) (?:[\w-]+ ){0,2}?(?:members|drivers|staff|workers|employees|people|farmers"
    r"|growers|crews?|subcontractors|suppliers|wholesalers?|landlord|family|customers|clients)"
    r" (?:are|is|have been|has been|keep|keeps) (?:still |now |all )?(?:waiting|asking|chasing"
    r"|pressing|calling|ringing|on at)\b"
    r"|(?:ask(?:s|ing)?|chas(?:es|ing)|call(?:s|ing)?|ring(?:s|ing)?|press(?:es|ing)?|on at)"
    r" (?:me|us)\b[^.!?\n]{0,20}?"
    r"\b(?:every (?:day|morning|week)|daily|constantly|all the time|non-?stop)",
    r"(?:drivers|workers|employees|crews?|subcontractors|members|people|suppliers|a mortgage"
    r"|the rent) to pay\b"
    r"|\b(?:rent|wages|payroll|salaries|a mortgage payment|the mortgage) (?:is |are )?due\b",
    r"(?:said|saying|promised|told (?:us|me)) (?:that )?(?:he|she|they|you|someone|it) (?:would"
    r"|will|were going to|was going to)\b[^.!?]{0,60}[.!]\s+(?:he|she|they|you|it|nobody"
    r"|no one) (?:did not|didn['’]t|never|has not|hasn['’]t|have not|haven['’]t)\b",
    r"(?:we|I) (?:wrote to|e-?mailed|wrote|notified|informed|told|gave) you\b[^.!?]{0,40}?"
    r"\b(?:in (?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|spring|summer|autumn|winter)|back in|(?:weeks|months|days) ago|last (?:month"
    r"|week|year|time))\b",
    r"(?:^|(?<=[.!?]\s))(?:hi,? |hello,? |hiya,? )?(?:it['’]s )?(?:just )?me again\b"
    r"|(?:it['’]s|it has|it is now|that['’]s) been (?:over |more than |almost |nearly )?\d+"
    r" (?:working |business )?days\b",
    r"(?:another|an|more|the same) (?:automatic|automated|standard|generic|canned|template"
    r"|stock|form) (?:reply|replies|response|responses|answer|answers|e-?mails?|letters?)\b"
    r"|back and forth|round in circles|(?:the )?run-?around|(?:I['’]m|I am|we['’]re|we are)"
    r" done (?:with|going|chasing|waiting|asking)\b",
    r"(?:seems?|is|looks?|feels?) (?:a (?:bit|little) |rather |very |quite |pretty |really"
    r" |extremely )?(?:steep|harsh|excessive|unfair|disproportionate|heavy-handed)\b"
    r"|(?:an? )?(?:customer|client|supplier|partner)s? (?:of|for) (?:over |more than |nearly"
    r" )?(?:\w+ )?(?:years|decades)\b",
    r"(?:I['’]m|I am|we['’]re|we are) not (?:approving|accepting|paying|signing off|signing)"
    r" (?:that|this|it|the|your|any|an?)\b|(?:is|are|has|have|was)(?:n['’]t| not) even\b",
    r"let me (?:see if I |make sure I )?(?:get this straight|understand|get this right)\b"
    r"|(?:^|(?<=[.!?]\s))(?:interesting|funny|priceless|classic)[.!,]"
    r"|(?:^|(?<=[.!?]\s))(?:great|brilliant|fantastic|wonderful|lovely|excellent|perfect)"
    r" (?:system|service|job|work|stuff|process|communication|planning|organi[sz]ation)[.!]",
    r"(?:we|I) (?:changed|altered|touched|did) nothing\b"
    r"|(?:we|I) (?:never|did not|didn['’]t) change (?:anything|a thing|our (?:bank )?details)\b"
    r"|\b(?:I|we|and) (?:expect|would expect|deserve) (?:the same|better|more|nothing less)\b",
    r"(?:never|not) (?:heard|had) (?:anything|a thing|a word|back)\b"
    r"|(?:sent|told|asked|written|wrote|e-?mailed|called|rang|chased)\b[^.!?\n]{0,40}?"
    r"\btwo times\b|where am I (?:meant|supposed|expected) to\b",
    r"I know (?:you['’]re|you are|everyone['’]s|everyone is) busy,? but\b"
    r"|(?:it['’]s|it is|we['’]re|we are) (?:just|only) (?:me|us|the two of us|me and my \w+)\b"
    r"|makes? (?:a )?(?:real|big|huge|massive) difference\b",
    r"why (?:are|is|have|has|do|does) (?:you|it|this|they|the \w+)(?: still)? not\b"
    r"|why (?:was|were|has|have|is|are|did you) (?:\S+ ){0,3}?(?:been )?(?:deducted|withheld"
    r"|held back|taken off|knocked off|docked|short-?paid|deduct|withhold)\b"
    r"|you(?:['’]ve| have) (?:put|placed) (?:\S+ ){0,4}?on (?:hold|stop)\b",
    # What has happened to the writer, told as a story: our own words quoted back at us
    # ("your colleague promised it would be "on time""), a wait spent on a quoted excuse
    # ("fourth week of "waiting for approval""), the date pointed out ("Today is the
    # 19th."), the same failure again ("Late again, I see", "same story as March"), a
    # promised call that never came ("was told someone would call me back. Nobody has."),
    # a bill paid out of their own pocket, a worry of paying twice, a long relationship
    # weighed against a reminder ("after fifteen years of dealing with you", "with us for
    # eleven years"), an ultimatum ("or we're putting you on cash-only"), and a writer on
    # their own, or sorry to have to write again.
    r"\b(?:you|they|he|she|someone|somebody|your (?:[\w-]+ )?(?:colleagues?|office|team|staff"
    r"|people|manager|rep|representative|department|buyer|accountant|agent|assistant|person"
    r"|accounts|finance|AP|support))(?: \w+)? (?:said|says|promised|promises|told|tells"
    r"|claimed|claims|assured)\b[^.!?\n\"“]{0,50}(?=[\"“])"
    r"|(?:(?<=weeks )|(?<=week )|(?<=months )|(?<=month ))of(?= [\"“])",
    r"(?:today is|it['’]s now|it is now|now it['’]s) (?:the )?\d{1,2}(?:st|nd|rd|th)\b",
    r"\b(?:late|overdue|short|wrong|missing|unpaid|rejected|blocked) again\b"
    r"|\bsame (?:story|excuse|problem|thing|mistake) (?:as|again)\b",
    r"(?:was|were) told (?:that )?(?:someone|somebody|they|you|he|she|it) would\b[^.!?]{0,60}"
    r"[.!]\s+(?:nobody|no one|no-one|they|he|she|it|you)(?: has| have| did)?(?:n['’]t| not)?"
    r"(?: ever)?[.!]",
    r"(?:from|out of) (?:my|our) own pocket\b|(?:have|having|had) to pay (?:\w+ )?twice\b",
    r"(?:I|we)(?:['’]m| am|['’]re| are) (?:very |really |quite |so |now |getting )?"
    r"(?:worried|anxious|scared|afraid|nervous)(?= (?:that )?(?:we|I) (?:will|might|may|would"
    r"|could|have|had)\b)"
    r"|(?:^|(?<=[.!?]\s))(?:now|today),? your (?:[\w-]+ )?(?:colleagues?|office|team|staff"
    r"|manager|rep|department|bank|people) (?:tells|told|says|said|informs|informed)\b",
    r"why (?:is|does|must|was) (?:this|it|everything|that) (?:\w+ )?so\b",
    r"after (?:\w+ )?(?:years?|decades?) of (?:dealing|working|trading|business) with\b"
    r"|been \w+ (?:with|for) (?:us|you) for (?:over |more than |nearly |almost )?\w+"
    r" (?:years|decades)\b",
    r"\b(?:a )?bit much\b|(?:not|isn['’]t) how (?:we|I) (?:expect|expected|would expect|like)"
    r" to be treated\b",
    r"\bor (?:we|I)(?:['’]re| are|['’]ll| will) (?:putting|put|stopping|stop|going to|taking"
    r"|cancell?ing|reporting|switching)\b",
    r"(?:I['’]m|I am) (?:just |only )?(?:on my own|self-employed|a sole trader|a one-man band)\b"
    r"|(?:sorry|apologies) (?:to|for) (?:write|writing|chase|chasing|bother|bothering|ask|asking"
    r"|e-?mail|e-?mailing)(?: you)? again\b",
    r"\b(?:it|this)(?:['’]s| has) happened(?: again)?\s*[.!]",
    # What happened to the writer, between the lines: a promise to them quoted back ("I was
    # told it would be issued "shortly""), the month pointed out ("It is now June."), the
    # reason we gave put in scare quotes ("because my VAT number is "missing""), a mistake
    # or a lapse of ours said as a plain fact ("someone forgot what was agreed", "someone's
    # got the numbers the wrong way round"; not asked: "Have you lost our payment?"), a
    # one-word "Again.", being stuck ("So what do I do?"), a plea ("would help us a lot"),
    # and sarcasm about when we will pay ("this year, or should I pencil it in for 2027?").
    r"(?:I|we) (?:was|were) (?:told|promised|assured)\b[^.!?\n\"“]{0,80}(?=[\"“])",
    r"(?:today is|it['’]s now|it is now|now it['’]s|we are now in|we['’]re now in) (?:already )?"
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december)\s*[.!]",
    r"(?<!have )(?<!has )(?<!did )\b(?:someone|somebody|you|your (?:[\w-]+ )?(?:team|office"
    r"|colleagues?|staff|people|system|department))(?:['’]s| has| have|['’]ve)?"
    r" (?:forgot(?:ten)?|ignored|lost|mixed up|messed up"
    r"|got\b[^.!?\n]{0,30}?\b(?:wrong|the wrong way round|backwards|mixed up))\b",
    r"(?:^|(?<=[.!?]\s))(?:again|as usual|typical|once more)\s*[.!]",
    r"because (?:[\w-]+ ){0,4}(?:is|was|are|were) [\"“][\w -]{1,20}[\"”]"
    r"|(?:perhaps|maybe) (?:someone|somebody|you|your team) (?:could|might|should|can)"
    r" (?:\w+ )?(?:look|check|read)\b[^.!?\n]{0,20}?\bagain\b",
    r"(?:^|(?<=[.!?]\s))so,? what (?:now|(?:do|should|can|must) (?:I|we) do(?: now)?)\s*\?",
    r"(?:would|will|could) (?:really )?help (?:us|me) (?:a lot|greatly|enormously|so much"
    r"|massively|hugely|tremendously)\b",
    r"(?:planning|going|intending|hoping) to (?:pay|settle|reply|answer)\b[^.?!\n]{0,40}?"
    r"\b(?:this (?:year|century|decade|lifetime)|at all|ever)\b"
    r"|\bor (?:should|shall|do|must) (?:I|we) (?:\w+ ){0,4}?(?:for|until|till) (?:next (?:year"
    r"|decade|century)|20\d\d)\b",
]

# A superior of the writer pressing them or displeased ("our CFO was not pleased", "our
# head office is asking me about it"): the pressure is passed on to us even when the
# writer stays polite or apologises for the trouble, so it counts as two markers.
_PRESSED = re.compile(
    r"\b(?:our|my) (?:[\w-]+ )?(?:director|CFO|CEO|CFO's office|boss|manager|management|head"
    r" office|headquarters|HQ|owner|MD|controller|board|partners?|superiors?|chairman)"
    r" (?:is|are|was|were|has been|have been|keeps?|kept) (?:now |already |also |very |really"
    r" |not |getting )?(?:asking|chasing|pressing|pushing|on at|(?:not |n['’]t )?(?:pleased"
    r"|happy|impressed|amused)|unhappy|furious|angry|upset|displeased|annoyed)\b",
    re.IGNORECASE,
)

# The customer's own apology or hesitation ("I am sorry we are late", "I'm not sure it
# reached our team") is not anger at us, though a sentiment score reads it as negative.
_CONTRITE = re.compile(
    r"\b(?:I|we)(?:['’]m| am|['’]re| are) (?:so |very |really |terribly )?sorry\b"
    r"|\b(?:my|our) (?:sincere )?apologies\b|\b(?:I|we) apologi[sz]e\b"
    r"|\bsorry (?:that )?(?:we|I)\b"
    # Said first, on its own: "Apologies, we missed the due date", "Sorry - our mistake".
    r"|(?:^|(?<=[.!?]\s))(?:apologies|sorry|so sorry)\s*[,.!:;\u2013\u2014-]"
    # Sorry for the bother they caused: "Sorry for the trouble."
    r"|(?:^|(?<=[.!?]\s))(?:(?:so|very|really) )?sorry for (?:the|any|this|all the)"
    r" (?:trouble|inconvenience|confusion|mix-up|hassle|bother|extra work|mistake|error)\b"
    # Ashamed of their own slip, or sorry as a tag on their own shortcoming: "I'm so
    # embarrassed", "I feel bad about this", "I'm not great with this stuff, sorry."
    r"|\b(?:I|we)(?:['’]m| am|['’]re| are) (?:so |very |really |a bit |a little |quite |rather )?"
    r"(?:embarrassed|ashamed|mortified)\b"
    r"|\b(?:I|we) feel (?:so |really |very |a bit |a little |quite )?"
    r"(?:bad|terrible|awful|guilty)\b"
    r"|,\s*sorry\s*[.!]",
    re.IGNORECASE | re.MULTILINE,
)
# The customer's own slip ("Our treasury paid it twice by mistake", "my error"): with an
# apology, the trouble they describe is theirs, even if a word such as "second" looks
# like a marker.
_OWN_SLIP = re.compile(
    r"\b(?:we|I|our (?:[\w-]+ )?(?:team|treasury|bank|accountant|office|department))"
    r"\b[^.!?\n]{0,60}?\b(?:by mistake|in error|by accident|accidentally)\b"
    r"|\b(?:we|I) accidentally\b|\b(?:our|my) (?:own )?(?:mistake|error|fault|oversight)\b"
    # Something of ours they let slip: "I missed your invoice completely".
    r"|\b(?:we|I) (?:completely |totally |simply |just )?(?:missed|forgot|overlooked)\b"
    # Late by their own doing: "It is the first time we are late with you".
    r"|\b(?:we|I)(?:['’]re| are| were|['’]m| am| was) (?:a (?:bit|little) |so |very )?late"
    r" (?:with|on|in paying|paying)\b",
    re.IGNORECASE,
)
# Asking for something: a question, or a polite request to look into it.
_ASKING = re.compile(
    r"\?|(?:^|(?<=[.!,]\s))(?:please|could you|can you|would you|kindly)\b",
    re.IGNORECASE | re.MULTILINE,
)
# Telling us something for our information: "Just so you know.", "FYI", "a heads-up".
_NOTICE = re.compile(
    r"\b(?:just so you(?:['’]re| are)? (?:know|aware)|for your (?:information|records|info)|FYI"
    r"|just (?:to )?let(?:ting)? you know|(?:just )?a (?:quick )?heads[- ]up)\b",
    re.IGNORECASE,
)
# A question that reproaches ("Why has nobody paid it yet?") is no plain enquiry; a bare
# "Why?" after a fact ("My invoice came back rejected. Why?") only asks the reason.
_REPROACH = re.compile(
    r"\b(?:why(?!\s*\?)|yet|still|again|how long|how many times)\b", re.IGNORECASE
)
# The customer apologising for their own late payment ("I'm so sorry invoice EV-2044 is
# late", "Apologies for paying late"): the trouble they describe is theirs, not anger at us.
# Not an apology for a late reply, nor one about what we did ("sorry, but your payment").
_OWN_LATE = re.compile(
    r"\b(?:(?:I|we)(?:['’]m| am|['’]re| are) (?:so |very |really |terribly |truly )?sorry"
    r"|(?:my|our) (?:sincere )?apologies|(?:I|we) apologi[sz]e|apologies"
    r"|(?:so|really|very|terribly|truly) sorry)\b"
    r"(?![^.!?\n]{0,40}?\b(?:you|your|reply|replying|response|responding|answer|answering))"
    r"(?=[^.!?\n]{0,60}?\b(?:pay\w*|invoices?|due|balance|bills?|instal\w*|settl\w*)\b)"
    # Missed by their own oversight: "so sorry, invoice 80 slipped through the cracks".
    r"[^.!?\n]{0,40}?\b(?:late|overdue|behind|missed|slipped (?:through|past|by)|overlooked"
    r"|forgot(?:ten)?)\b",
    re.IGNORECASE,
)
_OUTRIGHT = re.compile(
    r"\b(?:is (?:this|that) (?:some (?:kind|sort) of )?(?:a )?joke"
    r"|are you (?:joking|kidding|serious)"
    r"|(?:totally |completely |simply )?unacceptable"
    # A bare "Still nothing." after what the writer did and when: the wait said outright.
    r"|(?:^|(?<=[.!?]\s))still nothing(?: yet| at all)?(?=\s*[.!]))\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:not (?:quite |entirely |completely )?sure|unsure"
    # Confusion and not finding one's way are no anger: "A bit confused here", "I can't
    # find who approves our invoices".
    r"|(?:a (?:bit|little) |somewhat |rather )?confused"
    r"|(?:can[’']t|cannot|couldn[’']t) (?:find|see|work out|figure out) (?:out )?"
    r"(?:who|where|how|which|what|whether|if)"
    # A purchase order: the sentiment lexicon reads "PO" as slang for "pissed off".
    r"|(?-i:POs?)"
    # A document's status, quoted or reported, is no feeling: "your portal just says
    # "blocked"", "you rejected our invoice".
    r"|blocked|rejected|declined)\b",
    re.IGNORECASE,
)


_WRAPPED = re.compile(r"(?<=\S)[ \t]*\n(?=[ \t]*[^\s>])")


# The reading of a customer's message, by the message and the rule's settings: the two
# empathy rules and the learned layer read the same message in one review, and the
# composer reviews every draft of a reply to it as the agent types.
_READINGS: dict[tuple[Any, ...], str | None] = {}
_READINGS_KEPT = 256


def frustration(rule: Rule, ctx: Context) -> str | None:
    """Why this reply needs empathy, or None when the customer seems calm or we cannot tell."""
    if ctx.sla_breached:
        return "This case went past its deadline"
    message = (ctx.customer_message or "").strip()
    if not message:
        return None
    params = rule.params
    key = (
        message,
        rule.compiled["frustration_phrases"].pattern,
        params["sentiment_threshold"],
        params["enquiry_threshold"],
        params["reproach_threshold"],
        params["marker_count"],
    )
    if key not in _READINGS:
        if len(_READINGS) >= _READINGS_KEPT:
            _READINGS.clear()
        _READINGS[key] = _read_frustration(rule, message)
    return _READINGS[key]


def _read_frustration(rule: Rule, message: str) -> str | None:
    # Only the customer's newest words count: the thread history they quote
    # below their message is what they were answering, not how they feel now.
    newest = Document(message).active[:4000]
    # Mail is often hard-wrapped: a line break inside a paragraph does not end the sentence.
    newest = _WRAPPED.sub(" ", newest)
    score = compound_sentiment(_HEDGE.sub("", newest))
    markers = len(rule.compiled["frustration_phrases"].findall(newest))
    shouting = len(re.findall(r"\b[A-Z]{4,}\b", newest)) + len(re.findall(r"[!?]{2,}", newest))
    markers += min(shouting, 2)
    # Sarcasm and outrage said outright count as much as two markers on their own.
    markers += 2 * len(_OUTRIGHT.findall(newest))
    markers += 2 * len(_PRESSED.findall(newest))
    # A contrite customer with no marker of anger: the low score is their own trouble. One
    # who apologises for paying late may describe their trouble at length ("a client paid us
    # six weeks late and cash is really tight"): that is still no anger at us.
    if (
        markers < 3
        and not _OUTRIGHT.search(newest)
        and (_OWN_LATE.search(newest) or (_OWN_SLIP.search(newest) and _CONTRITE.search(newest)))
    ):
        return None
    contrite = markers == 0 and _CONTRITE.search(newest) is not None
    # A plain enquiry with no marker of anger ("we received a payment but no remittance
    # advice. Which invoice does it cover?"): words such as "no" or "nothing" pull the
    # score down, but asking is not complaining. A strongly negative score still counts,
    # and so does a reproachful question ("why", "still", "yet") scored clearly negative:
    # "Why is it not paid yet?" alone is a status question.
    enquiry = (
        markers == 0
        and score > rule.params["enquiry_threshold"]
        and _ASKING.search(newest) is not None
        and (_REPROACH.search(newest) is None or score > rule.params["reproach_threshold"])
    )
    # A notice with no marker of anger ("we still hold the retention until August, so the
    # invoice can't be paid now. Just so you know."): informing us is not complaining.
    notice = (
        markers == 0
        and score > rule.params["enquiry_threshold"]
        and _NOTICE.search(newest) is not None
    )
    angry_score = score <= rule.params["sentiment_threshold"] and not (
        contrite or enquiry or notice
    )
    if angry_score or markers >= rule.params["marker_count"]:
        return f"The customer sounds frustrated (sentiment {score:+.2f})"
    return None


_WORD = re.compile(r"[A-Za-z]+")


def _said(rule: Rule, key: str, doc: Document, rules: RuleSet) -> bool:
    """Whether the reply says one of the phrases, reading past typos: "my sincere
    appologies" still apologises (Spelling reports the typo). The corrected text is
    only built when the phrase is not found as written, which is rare."""
    if search_body(rule, key, doc):
        return True
    corrected = _corrected(doc, rules, doc.body_end)
    return corrected != doc.active[: doc.body_end] and bool(rule.compiled[key].search(corrected))


def _corrected(doc: Document, rules: RuleSet, end: int) -> str:
    """The reply's text up to `end` with each misspelt word replaced by its best guess."""
    memo_key = ("corrected", end)
    if memo_key not in doc.memo:

        def fix(match: re.Match[str]) -> str:
            word = match.group()
            lowered = word.lower()
            if len(lowered) < 4 or known_word(lowered, rules.language):
                return word
            candidates = spelling_candidates(lowered, rules.language)
            return candidates[0] if candidates else word

        doc.memo[memo_key] = _WORD.sub(fix, doc.active[:end])
    return doc.memo[memo_key]  # type: ignore[return-value]


@register(
    "empathy_acknowledge",
    sentiment_threshold=-0.3,
    enquiry_threshold=-0.65,
    reproach_threshold=-0.4,
    marker_count=2,
    frustration_phrases=FRUSTRATION_MARKERS,
    acknowledge_phrases=[],
)
def empathy_acknowledge(
    doc: Document, rule: Rule, ctx: Context, rules: RuleSet
) -> Iterator[Finding]:
    reason = frustration(rule, ctx)
    if reason is None or _said(rule, "acknowledge_phrases", doc, rules):
        return
    yield finding(rule, anchor(doc), f"{reason}. {rule.message}")


@register(
    "empathy_ownership",
    sentiment_threshold=-0.3,
    enquiry_threshold=-0.65,
    reproach_threshold=-0.4,
    marker_count=2,
    frustration_phrases=FRUSTRATION_MARKERS,
    ownership_phrases=[],
    disown_phrases=[],
    settled_phrases=[],
)
def empathy_ownership(doc: Document, rule: Rule, ctx: Context, rules: RuleSet) -> Iterator[Finding]:
    reason = frustration(rule, ctx)
    if reason is None:
        return
    # Nothing is left to do ("no further action is needed", "your account is clear"): there
    # is no step for the agent to own; Empathy.Acknowledge still asks for the apology.
    if search_body(rule, "settled_phrases", doc):
        return
    # A step taken while the matter is pushed onto another team is not ownership.
    if _said(rule, "ownership_phrases", doc, rules) and not search_body(
        rule, "disown_phrases", doc
    ):
        return
    yield finding(rule, anchor(doc), f"{reason}. {rule.message}")


# A step whose subject is "no ...": "no revised invoice will follow" promises nothing.
_NO_SUBJECT = re.compile(
    r"\bno\s+(?!later\b|sooner\b|more\s+than\b|less\s+than\b|doubt\b|problem\b|matter\b)"
    r"(?:[\w-]+\s+){1,3}$",
    re.IGNORECASE,
)


def _commitments(rule: Rule, doc: Document) -> list[re.Match[str]]:
    return [
        m
        for m in search_body(rule, "commitment_phrases", doc)
        if not rule.compiled["not_commitment_phrases"].match(doc.active, m.start())
        and not _NO_SUBJECT.search(doc.active, max(0, m.start() - 40), m.start())
    ]


_BACK_REFERENCE = re.compile(
    r"\b(?:(?:on\s+)?(?:that|the\s+same)\s+(?:day|date|morning|afternoon)|on\s+the\s+day|then"
    r"|at\s+which\s+(?:point|time)"
    # Tied to payments dated just before: "A remittance will follow each payment."
    r"|(?:after|with|follows?|following)\s+(?:each|every)\s+(?:payment|transfer|instal+ment|run)s?)\b",
    re.IGNORECASE,
)


# A date tied to a past event in the same sentence ("which fell due for settlement on
# 20 May", "was received on 3 June") says nothing about when the next step happens.
_PAST_DATED = re.compile(
    r"\b(?:was|were|fell|became|had\s+been)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:on|in|at)\s+\S+(?:\s+(?:\d{1,4}|[a-z]+)){0,2}"
    # Something that arrived or went on a date: "the pumps arrived at our warehouse on May 12".
    r"|\b(?:arrived|landed|came|went|reached)\b[^.;!?\n]{0,40}?\b(?:on|in)\s+(?:the\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+[a-z]+|[a-z]+\s+\d{1,2}\b|[a-z]+day\b)",
    re.IGNORECASE,
)


# A date as written in a sentence: "22 May", "the 3rd of June", "June 3", "03.06.2026".
_WRITTEN_DATE = (
    r"(?:\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+[a-z]+"
    r"|[a-z]+\s+\d{1,2}(?:st|nd|rd|th)?\b|\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?)"
)

# A date that names a thing rather than when the next step happens: the invoice's due
# date stated as a fact ("the due date stays 25 June", "(still due 20 June)"), or an
# earlier payment or message named by its date ("the payment from 2 June").
_NAMING_DATE = re.compile(
    r"(?<!by the )(?<!on the )(?<!before the )(?<!until the )(?<!till the )"
    r"(?<!by its )(?<!on its )(?<!by their )(?<!on their )"
    r"\bdue\s+date\s+(?:of|is|was|stays|remains|will\s+(?:stay|remain|not\s+change)|:)?\s*"
    r"(?:still\s+)?(?:on\s+)?\S+(?:\s+(?:\d{1,4}|[a-z]+)){0,2}"
    r"|\(\s*(?:still\s+|now\s+)?due\s+(?:on\s+)?[^()\n]{1,25}\)"
    r"|\b(?:payments?|transfers?|remittances?|e-?mails?|messages?|letters?|calls?|deliver(?:y|ies)"
    r"|orders?)\s+(?:from|of|dated)\s+(?:the\s+)?"
    + _WRITTEN_DATE
    # The date a statement or balance is drawn up at: "a statement as at 31 May".
    + r"|\bas\s+at\s+(?:the\s+)?"
    + _WRITTEN_DATE
    + r"|\b(?:statements?|balances?|positions?|accounts?)\s+as\s+of\s+(?:the\s+)?"
    + _WRITTEN_DATE
    # A point in the past something has lasted from: "overdue since 22 May".
    + r"|\bsince\s+(?:the\s+)?"
    + _WRITTEN_DATE
    # A date weighed, not set: "I'll check whether 19 June is acceptable".
    + r"|\b(?:whether|if)\s+(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+[a-z]+"
    r"|[a-z]+\s+\d{1,2}(?:st|nd|rd|th)?)\s+(?:is|would\s+be|will\s+be|works|suits|can\s+work)\b",
    re.IGNORECASE,
)


# How things run from now on ("handled personally from now on") is a change of routine,
# not the date of a next step; nor is a time of a step already taken ("I've given them a
# nudge this morning", "I called the bank earlier today").
_NOT_A_DATE = re.compile(
    r"\b(?:personally|myself|in\s+person)\s+(?:from\s+now\s+on|going\s+forward|from\s+here\s+on)\b"
    r"|\b(?:I|we|they|he|she)(?:[’']ve|\s+have|\s+has|\s+had)\s+(?:now\s+|just\s+|already\s+|also\s+)?"
    r"(?!to\b|been\s+\w+ed\s+for\b)"
    r"\w+(?:\s+(?!to\b|will\b|by\b|on\b|for\b)[\w-]+){0,6}?\s+(?:this\s+(?:morning|afternoon)|earlier\s+today)\b",
    re.IGNORECASE,
)


def _future_timeframe(text: str, next_step: bool = False) -> bool:
    """`next_step`: the time of a step still to come, not a routine or a step taken."""
    if next_step:
        text = _NOT_A_DATE.sub(" ", text)
    return has_timeframe(_NAMING_DATE.sub(" ", _PAST_DATED.sub(" ", text)))


# An invoice's due date stated as its own sentence ("Invoice 118 is due on 15 June.")
# dates the invoice, not the step promised in the sentence before it.
_DUE_STATED = re.compile(
    r"\b(?:is|are|falls?|remains?|stays?)\s+(?:still\s+|also\s+|now\s+)?due\s+(?:on|by)\s+\S+"
    r"(?:\s+(?:\d{1,4}|[a-z]+)){0,2}",
    re.IGNORECASE,
)


# A step set off by the payment arriving: "I'll confirm once the payment arrives". When
# the reply dates that payment ("Friday 15 May works"), the step has its date too.
_ON_PAYMENT = re.compile(
    r"\b(?:once|when|as\s+soon\s+as|after)\s+(?:(?:it|they|(?:the|your)\s+(?:[\w-]+\s+)?"
    r"(?:payment|money|funds|transfer|remittance)s?)(?:\s+has|\s+have)?\s+"
    r"(?:arrives?|arrived|lands?|landed|clears?|cleared|comes?\s+in|come\s+in|reach(?:es)?\s+us"
    r"|reached\s+us|(?:is|are|has\s+been|have\s+been)\s+(?:received|credited|paid|in))"
    r"|(?:I|we)\s+(?:receive|get|see|have)\s+(?:the|your)\s+(?:[\w-]+\s+)?"
    r"(?:payment|money|funds|transfer)s?)\b",
    re.IGNORECASE,
)


# "Once I receive it" is the reader's time only when the reader sends it. Asked of
# someone else ("I have asked the depot for the photos and will revert once I receive
# them"), it waits on a party the reader cannot see, and sets no time.
_THIRD_PARTY_WAIT = re.compile(
    r"\b(?:I|we)(?:\s+have|[’']ve)?(?:\s+already|\s+now|\s+also)?\s+(?:asked|requested|chased"
    r"|contacted|written\s+to|e-?mailed|reached\s+out\s+to)\s+(?:the|our|my|their)\b",
    re.IGNORECASE,
)
_ON_RECEIPT = re.compile(
    r"\b(?:once|after|as\s+soon\s+as|when)\s+(?:we|I)\s+(?:receive|get|have|hear\s+back"
    r"|hear\s+from)"
    r"(?:\s+(?:it|them|this|these|that|those|their\s+\w+|the\s+\w+))?\b",
    re.IGNORECASE,
)


# An invoice's due date set after its amount: "invoice 118 for EUR 420.00, due 30 June".
# It is the reader's deadline for paying, not the date of a step of ours beside it.
_DUE_APPOSED = re.compile(
    r"(?<=\d),\s*(?:still\s+|now\s+)?due\s+(?:on\s+)?" + _WRITTEN_DATE + r"(?:\s+\d{4})?",
    re.IGNORECASE,
)


# A time set only by the reader's own step: "once we have it", "as soon as you send it".
_READER_PACED = re.compile(
    r"\b(?:once|after|as\s+soon\s+as|when|the\s+(?:day|moment))\s+(?:(?:we|I)\s+(?:receive|get"
    r"|have)|you\s+(?:send|return|sign|confirm|upload|submit|resubmit))\b"
    r"(?:\s+(?:it|them|this|these|that|those|(?:the|your)\s+[\w-]+))?",
    re.IGNORECASE,
)


def _timed(
    doc: Document, pos: int, next_step: bool = False, ours: bool = False, paced: bool = True
) -> bool:
    """A time frame in the commitment's sentence or the one right after it.

    Not the one before: that is usually a fact ("it was due on 28 April"),
    and a date in it says nothing about when the next step happens. With `ours`
    (a step of ours, not a request), an invoice's due date beside it is no time frame.
    Without `paced`, a time set only by the reader's own step ("once we have it") is none.
    """
    index = doc.sentence_index(pos)
    sentences = doc.sentences
    here = doc.active[sentences[index][0] : sentences[index][1]] if index >= 0 else ""
    # "I'll send it that day" points back at a date in the previous sentence.
    own = index
    back = _BACK_REFERENCE.search(here)
    # "... until 17 June, at which point it will be released that day" points back at
    # the date said before it in the same sentence.
    if back and has_timeframe(_PAST_DATED.sub(" ", here[: back.start()])):
        return True
    if index > 0 and back:
        index -= 1
    for i in (index, index + 1):
        if not 0 <= i < len(sentences):
            continue
        # The masked text: a date inside quoted customer text promises nothing.
        text = doc.active[sentences[i][0] : sentences[i][1]]
        # A due date stated in the next sentence dates the invoice, not this step; in
        # the step's own sentence ("it is due on 3 July, and paying before then ...") it
        # is the deadline itself.
        if i > own:
            text = _DUE_STATED.sub(" ", text)
        if _THIRD_PARTY_WAIT.search(text):
            text = _ON_RECEIPT.sub(" ", text)
        if ours:
            text = _DUE_APPOSED.sub(" ", text)
        if not paced:
            text = _READER_PACED.sub(" ", text)
        if _future_timeframe(text, next_step):
            return True
    if _ON_PAYMENT.search(here):
        return any(_future_timeframe(doc.active[start:end]) for start, end in doc.body_sentences)
    return False


_FOLLOW_UP: dict[str, list[str]] = {
    "commitment_phrases": [],
    "not_commitment_phrases": [],
    "done_phrases": [],
    "delivered_phrases": [],
    "vague_phrases": [],
    "open_phrases": [],
}

# A reply that chases a debt: its next step is the payment, whatever it encloses.
_DEBT_OPEN = re.compile(
    r"\b(?:overdue|unpaid|past\s+due|outstanding|reminder|remains?\s+(?:open|due)"
    r"|still\s+(?:open|due))\b",
    re.IGNORECASE,
)


def _chasing_debt(doc: Document, ctx: Context) -> bool:
    if ctx.reminder_level is not None:
        return True
    if ctx.invoices and any((i.status or "").lower() == "overdue" for i in ctx.invoices):
        return True
    return bool(_DEBT_OPEN.search(doc.active, 0, doc.body_end))


# Something sent for the reader to work on: a form to fill in, a statement to check.
_TO_WORK_ON = re.compile(
    # Not a format: "the receipt in PDF form".
    r"\b(?:(?<!pdf )(?<!paper )(?<!printed )(?<!digital )(?<!electronic )(?<!scanned )form"
    r"|(?<!bank )statement|questionnaire|application|contract|agreement|mandate"
    r"|template)s?\b",
    re.IGNORECASE,
)


# The customer asked for a document: "Could you send a copy please?", "please send a
# statement of our account". Delivering it answers them even beside an overdue invoice,
# unless the reply is itself a reminder (a reminder level is known).
_ASKED_FOR_DOCUMENT = re.compile(
    r"\b(?:send|re-?send|forward|e-?mail|provide|share|need)\b[^.?!\n]{0,60}?\b(?:cop(?:y|ies)"
    r"|invoices?|statements?|remittances?|proof|confirmations?|receipts?|credit notes?|pdf"
    r"|documents?|advices?|extracts?)\b",
    re.IGNORECASE,
)


# A time frame that looks forward: a deadline ("by", "before", "within", "no later
# than", "until") or a date something happens on or is set for ("on", "for", "in", "from").
_FORWARD = re.compile(
    r"\b(?:by|before|within|until|till|no\s+later\s+than|on|for|in|from|every|each)\s+\S",
    re.IGNORECASE,
)
# A sentence that reports the past: what was due, paid or received is a fact, not a step.
_PAST_FACT = re.compile(
    r"\b(?:was|were|had|did|(?:has|have)(?:n[’']t|\s+not)?\s+been|[’']ve\s+been|ago|yesterday"
    r"|last|failure\s+to|fail(?:s)?\s+to|otherwise"
    r"|fell|came|arrived|went|got|wrote|asked|sent\s+us|dated"
    # Said in the simple past of someone: "we received it on 1 June", "you paid on 3 May".
    r"|(?:we|I|you|they)\s+(?:received|paid|booked|posted|logged)"
    # "received on 3 June" is past, "is paid on 3 July" is not.
    r"|(?<!is\s)(?<!are\s)(?<!be\s)(?:received|paid)\s+(?:on|in))\b",
    re.IGNORECASE,
)
# A sentence that speaks of the next thing to happen, with or without its own verb:
# a request ("kindly pay"), a modal or future, a deadline the reader must meet
# ("payable by", "reaches us by"), or an event in the present that is still to come
# ("payment releases on", "funds land in 1-2 days").
_STEP_VERB = re.compile(
    r"\b(?:kindly|please|will|[’']ll|shall|must|should|can|could|would|need\s+to"
    r"|payable|expect(?:ed)?|scheduled|planned|set\s+for|goes|go|releases?|lands?"
    r"|arrives?|reach(?:es)?|clears?|runs?|sits?|processed|credited|paid|received|made"
    r"|leaves?|is\s+in|are\s+in|[’']s\s+in|(?:is|are)\s+with\s+(?:us|you)"
    r"|(?:is|are)\s+(?:usually\s+|normally\s+|always\s+)?[a-z]+ed)\b",
    re.IGNORECASE,
)


def _dated_steps(doc: Document) -> list[Span]:
    """Body sentences that say when something still to come happens.

    A sentence counts when a forward time frame ("by Friday 12 June", "within 10
    business days", "on that date" after a dated sentence) sits beside a verb of
    a next step, and nothing in it reports the past ("it was due on 28 May").
    """
    key = ("dated_steps",)
    if key in doc.memo:
        return doc.memo[key]  # type: ignore[return-value]
    found: list[Span] = []
    sentences = doc.body_sentences
    for index, (start, end) in enumerate(sentences):
        text = doc.active[start:end]
        if text.rstrip().endswith("?") or _PAST_FACT.search(text):
            continue
        if not _STEP_VERB.search(text):
            continue
        text = _NAMING_DATE.sub(lambda m: " " * len(m.group()), text)
        text = _NOT_A_DATE.sub(lambda m: " " * len(m.group()), text)
        # The time frame is the preposition's own object, not a date further on.
        dated = any(has_timeframe(text[m.start() : m.end() + 20]) for m in _FORWARD.finditer(text))
        if not dated and index > 0 and _BACK_REFERENCE.search(text):
            previous = doc.active[sentences[index - 1][0] : sentences[index - 1][1]]
            dated = has_timeframe(previous)
        if dated:
            found.append((start, end))
    doc.memo[key] = found
    return found


# A sentence that answers the customer's question outright: "Yes, ...", "Confirmed: ...".
_ANSWER = re.compile(
    r"(?:(?:^|(?<=[.!?]\s)|(?<=\n))(?:yes\b|yep\b|correct\b|confirmed\b|that[’']s\s+right\b"
    r"|(?:I|we)\s+(?:can\s+)?confirm\b|no,(?!\s+(?:problem|worries)\b))"
    # A plain "no" to a yes/no question ("Good question, and no, you won't get a revised
    # one"), or the thing asked about said to be right ("Invoice 118 is correct as it is").
    r"|(?<=, and )no,|(?<=, but )no,"
    r"|\b(?:is|are)\s+(?:(?:indeed|quite|entirely|absolutely)\s+)?(?:correct|right)\s+"
    r"(?:as\s+(?:it|they)\s+(?:is|are|stands?)|without|with)\b)",
    re.IGNORECASE,
)


_REQUEST = re.compile(r"(?:please|kindly|(?:can|could|would)\s+you)\b", re.IGNORECASE)


def _closed(
    rule: Rule, doc: Document, ctx: Context, delivered: bool = True, answered: bool = True
) -> bool:
    """The reply closes the matter: nothing is left to happen next.

    With `delivered`, a reply that delivers what was asked also closes it; with
    `answered`, so does one that answers the customer's question outright. A step
    of ours beside such an answer still needs its date, so the time-frame check
    leaves that out.
    """
    # In an incident, a change made so the fault cannot recur is the prevention, not
    # the reader's matter closed.
    if any(
        not _conditional(doc, m.start())
        and not (ctx.incident and _prevents_repeat(doc, m))
        and not _only_so_far(doc, m)
        for m in search_body(rule, "done_phrases", doc)
    ):
        return True
    if not delivered:
        return False
    asked = ctx.reminder_level is None and bool(
        _ASKED_FOR_DOCUMENT.search(ctx.customer_message or "")
    )
    if _chasing_debt(doc, ctx) and not asked:
        return False
    if (
        answered
        and "?" in (ctx.customer_message or "")
        and _ANSWER.search(doc.active, 0, doc.body_end)
    ):
        return True
    for match in search_body(rule, "delivered_phrases", doc):
        start, end = doc.sentence_of(match.start())
        # Evidence sent with an answer still open ("his report and photographs are
        # attached") is not the thing asked for.
        if _EVIDENCE.search(doc.active, start, end) and not asked:
            continue
        work = _TO_WORK_ON.search(doc.active, start, end)
        # A statement the customer asked for, sent with its figures, is the answer,
        # not a document left for them to work through.
        if not work or (_asked_for(ctx, work.group()) and _states_figures(doc)):
            return True
    return False


# Done only so far: "nothing more is needed from you for now", "I have matched it to the
# order and sent it for approval". The matter is still open.
_SO_FAR = re.compile(
    r"\s*(?:for\s+now|for\s+the\s+moment|at\s+(?:the|this)\s+(?:moment|stage|point)"
    # Passed on to the next step, not done: "it has now been released for payment".
    r"|for\s+(?:payment|approval|processing|sign-?off|the\s+next\s+(?:payment\s+)?run))\b",
    re.I,
)
_HANDED_ON = re.compile(
    r"\b(?:and|then)\s+(?:have\s+|[’']ve\s+)?(?:sent|passed|forwarded|submitted|referred|handed)\s+"
    r"(?:it|them|this|that|the\s+\w+)\s+(?:on\s+)?(?:for|to)\s+(?:approval|sign-?off|authori[sz]ation"
    r"|review|payment\s+approval)\b",
    re.IGNORECASE,
)


def _only_so_far(doc: Document, match: re.Match[str]) -> bool:
    if _SO_FAR.match(doc.active, match.end()):
        return True
    start, end = doc.sentence_of(match.start())
    return _HANDED_ON.search(doc.active, match.end(), end) is not None


_EVIDENCE = re.compile(
    r"\b(?:reports?|photo(?:graph)?s?|pictures?|images?|screenshots?|surveys?|evidence|findings)\b",
    re.IGNORECASE,
)


def _asked_for(ctx: Context, noun: str) -> bool:
    stem = noun.lower().rstrip("s")
    return bool(re.search(rf"\b{re.escape(stem)}s?\b", ctx.customer_message or "", re.I))


def _states_figures(doc: Document) -> bool:
    return bool(find_money(doc.active[: doc.body_end]))


# A clause that sets a condition: "until the account is clear", "once it is paid". What
# it says is done is what has to happen first, not what this reply has done.
_CONDITION = re.compile(
    r"\b(?:until|till|unless|once|when|if|before|after|as\s+soon\s+as)\s+(?:[\w'’-]+\s+){0,4}$",
    re.IGNORECASE,
)


def _conditional(doc: Document, pos: int) -> bool:
    start = doc.sentence_of(pos)[0]
    return _CONDITION.search(doc.active, max(start, pos - 50), pos) is not None


# A step that only hands the matter on: "it will be released for payment".
_HANDED_FOR = re.compile(
    r"\b(?:released|passed|sent|forwarded|submitted|queued)\s+(?:on\s+)?for\s+(?:payment"
    r"|approval|processing|sign-?off)\b",
    re.IGNORECASE,
)

# A time that sets no time: "in due course", "shortly", "soon", "at a later date".
_VAGUE_TIME = re.compile(
    r"\b(?:in\s+due\s+course|shortly|soon(?!\s+as\b|er\b)|as\s+soon\s+as\s+(?:possible|we\s+can)"
    r"|at\s+some\s+(?:point|stage)|at\s+a\s+later\s+(?:date|stage)|in\s+the\s+(?:near|coming)"
    r"\s+(?:future|days|weeks))\b",
    re.IGNORECASE,
)


@register("follow_up_missing", **_FOLLOW_UP)
def follow_up_missing(doc: Document, rule: Rule, ctx: Context, rules: RuleSet) -> Iterator[Finding]:
    if _closed(rule, doc, ctx) or _commitments(rule, doc) or _dated_steps(doc):
        return
    vague = search_body(rule, "vague_phrases", doc)
    span = vague[-1].span() if vague else last_body_sentence(doc)
    message = rule.message
    if vague:
        message = f"'{vague[-1].group()}' leaves the next step to the reader. {rule.message}"
    yield finding(rule, span, message)


@register("follow_up_timeframe", **_FOLLOW_UP)
def follow_up_timeframe(
    doc: Document, rule: Rule, ctx: Context, rules: RuleSet
) -> Iterator[Finding]:
    # A step given only a vague time ("will be paid in due course") needs a date, whatever
    # else the reply closes or delivers.
    for match in _commitments(rule, doc):
        end = doc.sentence_of(match.start())[1]
        if _VAGUE_TIME.search(doc.active, match.end(), max(end, match.end())) and not _timed(
            doc, match.start(), next_step=True
        ):
            yield finding(rule, doc.sentence_of(match.start()))
            return
    if _closed(rule, doc, ctx, delivered=False):
        return
    # A matter left open ("it is being looked at", "we'll look into it") needs its own
    # date, whatever else the reply dates.
    for match in search_body(rule, "open_phrases", doc):
        # Quoted, not said: '"we'll look into it" isn't an answer'.
        if doc.active[max(0, match.start() - 1) : match.start()] in ('"', "“", "‘"):
            continue
        if not _timed(doc, match.start(), next_step=True):
            yield finding(rule, doc.sentence_of(match.start()))
            return
    commitments = _commitments(rule, doc)
    # Outside a debt chase, an invoice's due date is a fact: a step of ours beside it
    # still needs its own date.
    steps = commitments
    if not _chasing_debt(doc, ctx):
        steps = [m for m in commitments if not _DUE_STATED.match(doc.active, m.start())] or steps

    def timed(match: re.Match[str], paced: bool = True) -> bool:
        ours = not _REQUEST.match(match.group())
        return _timed(doc, match.start(), next_step=True, ours=ours, paced=paced)

    if not commitments:
        return
    if any(timed(m) for m in steps):
        # A request with no date whose only time is a step of ours it sets off that only
        # hands the matter on ("Could you send the form? Once we have it, the invoice will
        # be released for payment") dates nothing: not the request, nor the payment.
        requests = [m for m in commitments if _REQUEST.match(m.group())]
        handed_on = any(
            _HANDED_FOR.search(doc.active, *doc.sentence_of(m.start()))
            for m in steps
            if not _REQUEST.match(m.group())
        )
        if (
            not handed_on
            or all(timed(m, paced=False) for m in requests)
            or any(timed(m, paced=False) for m in steps)
        ):
            return
    # What was asked for, delivered, needs no date, unless the reader is asked in
    # turn to do something with it ("the report is attached; please review it").
    asks_reader = any(_REQUEST.match(m.group()) for m in commitments)
    if _closed(rule, doc, ctx, answered=False) and not asks_reader:
        return
    # A step dated elsewhere in the reply says by when things happen.
    if _dated_steps(doc):
        return
    yield finding(rule, doc.sentence_of(commitments[0].start()))


@register("thanks", thanks_phrases=[], canned_phrases=[])
def thanks(doc: Document, rule: Rule, ctx: Context, rules: RuleSet) -> Iterator[Finding]:
    canned = [m.span() for m in rule.compiled["canned_phrases"].finditer(doc.active)]
    for match in rule.compiled["thanks_phrases"].finditer(doc.active):
        if not any(s < match.end() and match.start() < e for s, e in canned):
            return
    # Thanks with a typo in it ("We apreciate your business") still thanks the reader;
    # Spelling reports the typo. The text is only corrected when no thanks was found.
    corrected = _corrected(doc, rules, len(doc.active))
    if corrected != doc.active:
        canned = [m.span() for m in rule.compiled["canned_phrases"].finditer(corrected)]
        for match in rule.compiled["thanks_phrases"].finditer(corrected):
            if not any(s < match.end() and match.start() < e for s, e in canned):
                return
    yield finding(rule, doc.sign_off or last_body_sentence(doc))


# A change made so the fault cannot recur ("the setting has been fixed so it will not
# happen again") is the prevention, not the customer's own matter put right.
_REPEAT_PURPOSE = re.compile(
    r"\bso (?:that )?(?:it|this|that|the same(?: thing| error| mistake)?)(?: \w+)?"
    r" (?:will not|won['’]t|cannot|can['’]t|does not|doesn['’]t|should not|shouldn['’]t)"
    r" (?:happen|recur|occur)"
    # A change made for what comes after: "this has now been corrected, so future
    # invoices will be in euros".
    r"|\bso (?:that )?(?:all |any |every |each )?(?:future|later|subsequent|coming|upcoming)"
    r" (?:[\w-]+ ){0,2}?(?:will|are|is|go|come|get|should|can)\b",
    re.IGNORECASE,
)


def _prevents_repeat(doc: Document, match: re.Match[str]) -> bool:
    # Only the purpose said right after it, in the same clause.
    end = min(doc.sentence_of(match.start())[1], match.end() + 30)
    return _REPEAT_PURPOSE.search(doc.active, match.end(), max(end, match.end())) is not None


# A change asked of the reader, not made by us: "to avoid this in future, please always
# quote the invoice number". It puts the repeat on them; it prevents nothing on our side.
_READER_ONLY = re.compile(
    r"\b(?:please|kindly)\b|\byou\s+(?:should|must|need\s+to|have\s+to)\b", re.I
)
_OUR_SIDE = re.compile(r"\b(?:we|our|us)\b|(?-i:\bI\b|\b[A-Z][a-z]+ (?:now|will)\b)", re.I)


def _asks_reader_only(doc: Document, match: re.Match[str]) -> bool:
    start, end = doc.sentence_of(match.start())
    text = doc.active[start:end]
    return bool(_READER_ONLY.search(text)) and not _OUR_SIDE.search(text)


def _timed_list(doc: Document, match: re.Match[str]) -> bool:
    """A heading ("What we are doing:") over the steps listed below it, up to the next
    blank line: the steps' own dates time the heading's answer."""
    if not match.group().rstrip().endswith(":"):
        return False
    block_end = doc.active.find("\n\n", match.end())
    block = doc.active[match.end() : block_end if block_end >= 0 else doc.body_end]
    return any(_future_timeframe(line) for line in block.splitlines())


@register(
    "critical_need",
    need="what_happened",
    answer_phrases=[],
    done_phrases=[],
    needs_timeframe=False,
    reader_requests_count=True,
)
def critical_need(doc: Document, rule: Rule, ctx: Context, rules: RuleSet) -> Iterator[Finding]:
    if not ctx.incident:
        return
    # Done already, unless it is the repeat prevented or a condition ("before it is
    # released", "once it is paid").
    if any(
        not _prevents_repeat(doc, m) and not _conditional(doc, m.start())
        for m in search_body(rule, "done_phrases", doc)
    ):
        return
    answers = search_body(rule, "answer_phrases", doc)
    if not rule.params["reader_requests_count"]:
        answers = [m for m in answers if not _asks_reader_only(doc, m)]
    if answers and not rule.params["needs_timeframe"]:
        return
    if answers and any(_timed(doc, m.start()) or _timed_list(doc, m) for m in answers):
        return
    if answers:
        yield finding(
            rule,
            doc.sentence_of(answers[0].start()),
            f"{rule.message} The reply says what we are doing but not by when.",
        )
        return
    yield finding(rule, anchor(doc))
