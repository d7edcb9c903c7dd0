"""Empathy: a distressed customer message followed by an agent reply with no acknowledgement."""
from __future__ import annotations

import re

from ..lowercase import safe_lower
from ..wordscan import WordScan
from .etiquette import is_english_word
from .sentiment import get_analyzer

DISTRESS_THRESHOLD = -0.6   # VADER compound at or below this counts as distress, if not only from fault words

# Negative VADER words that name a fault in a product or service rather than a feeling: a calm problem report
# ("the export failed with an error", "I typed my card wrong and now it's stuck") is not distress.
_FAULT_WORDS = frozenset({
    "error", "errors", "fail", "failed", "fails", "failing", "failure", "crash", "problem", "problems", "trouble",
    "troubles", "wrong", "stuck", "dead", "broken", "broke", "damage", "damaged", "lost", "lose", "losing", "missing",
    "miss", "missed", "difficult", "difficulty", "difficulties", "block", "blocked", "ban", "banned", "suspended",
    "suspend", "delay", "delayed", "cancel", "cancelled", "reject", "rejected", "denied", "deny", "limited", "lack",
    "no", "poor", "weak", "leak", "warning", "risk", "charged", "fault", "lag", "problematic", "hard"})
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")

# Feelings the customer states (..wordscan: each alternative starts with a plain lower-case letter or digit).
_FEELINGS = (
    r"frustrat\w*", r"upset\w*", "angry", "angrier", "furious", "livid", r"annoy\w*", r"irritat\w*", "unacceptable",
    "ridiculous", "outrageous", "worst", "terrible", "horrible", "horrendous", "awful", r"disgust\w*",
    r"disappoint\w*", "fed up", "sick of", "tired of", "fuming", "pissed", "useless", r"scam\w*", "rip-?off",
    "never again", "waste of (?:my )?(?:time|money)", r"ruin\w*", r"nightmares?", "unbelievable", "appalling",
    "shocking(?! it| the| your| my| a )", "insane", "a joke", "this is a joke", "absurd",
    *(f"{been}waiting (?:for )?(?:over |more than )?(?:days|weeks|hours|ages|forever|a week|a month|"
      r"\d+ (?:days|weeks|hours))" for been in ("been ", "")),
    "still (?:waiting|haven't|hasn't)",
    *(f"{who} (?:has |ever |is )?(?:helped|helping|responded|replied|answered|answering|gets back|got back|called)"
      for who in ("no one", "nobody")),
    *(f"{nth} (?:time|message|email|call|chat)" for nth in ("second", "2nd", "third", "3rd", "fourth", "4th", "fifth",
                                                         "5th", "tenth")),
    *(f"{what} again" for what in ("cancelled", "canceled", "delayed", "lost", "late", "broken", "charged", "wrong",
                                   "missing", "down")),
    "keep(?:s)? getting (?:the )?run ?around",
    # fear, worry, sadness, despair
    r"worr(?:y|ied|ying)", "anxious", "scared", "terrified", "frightened", r"panic\w*", "freaking out",
    "freaked out", r"stress(?:ed|ing)", "nervous", "uncomfortable", r"desperate\w*", "helpless", "in tears",
    "crying", "gutted", "heartbroken", "devastated", "miserable", r"wits? ?end", "wit's end", "end of my rope",
    "losing my mind", "going crazy", "had enough", "enough is enough", "last straw", "sick and tired",
    "throw (?:it|this|the \\w+) out (?:of )?the window", "not (?:happy|pleased|impressed|satisfied|acceptable)",
    "unfair", "not fair", "unhappy", "lied to", "shaking", "please just help", "thanks for nothing",
    "excuse me(?=[?!])", "can't sleep", "cannot sleep", "in a state",
    *(f"{dont} know (?:what to do|how (?:i'm|im|i am) going to)" for dont in ("don't", "dont", "do not")),
    "insulting", "insulted", "i'm done", "exhausted", "going to miss",
    "why do you keep", "you people", "you lot", "rattled", "shaken", "beside myself", "nobody even bothered",
    "nobody bothered", "mocking me", "not an idiot", "waiting and waiting", "messed up", "lose my mind",
    "can't be happening", "embarrassed", "humiliated", "please please", "please hurry", "unkind",
    r"wasted (?:a |my |the )?(?:whole |entire )?(?:day|morning|afternoon|evening|time)",
    "tell me to calm down", "ask again", "asking again",
    *(f"{who} (?:\\w+ ){{0,4}}?(?:seems to |even |actually )?cares?" for who in ("nobody", "no one")),
    "are you (?:even )?(?:reading|listening)", "did you (?:even )?read",
    # anger, disbelief, swearing
    "wtf", "wth", "ffs", "omfg", r"fuck\w*", "bullshit", r"shit\w*", r"crap\w*", r"damn\w*",
    *(f"{wh} the (?:hell|heck|f)" for wh in ("what", "where", "who", "why")),
    "are you (?:kidding|serious|joking|for real)", "you kidding me",
    "seriously(?=[?!])", "is that it(?=[?!])", "that's it(?=\\?)", "that's all you", "how dare", "rude", "theft",
    "thieves", "stealing", "robbed", "robbery",
    # repeated contact and long waits
    *(f"{verb} " r"(?:\w+ ){0,4}?(?:(?:\d+|two|three|four|five|six|several|multiple|many|so many) times|twice)"
      for verb in ("called", "contacted", "explained", "told you", "asked", "messaged", "chatted", "emailed",
                   "written", "tried", "chased", "rang", "phoned", "reported", "talked", "spoken", "spoke")),
    # doing the same thing over and over: "I moved it 3 times", "restarted it five times"
    *(f"{verb} " r"(?:\w+ ){0,4}?(?:[3-9]|three|four|five|six|several|multiple|many|so many) times"
      for verb in ("moved", "restarted", "pressed", "clicked", "tapped", "did", "done", "reset", "reinstalled",
                   "checked")),
    "like an idiot", "feel (?:so )?stupid", "so done", "done with this", "can't be serious", "cannot be serious",
    "going to be late", "gonna be late", *(f"{i_am} (?:already |so |now )?late" for i_am in ("i'm", "im", "i am")),
    r"late for (?:work|class|school|a meeting|my \w+)", "can't pay (?:my )?(?:rent|bills)", "can't afford",
    "money is (?:really |so )?tight", "taking forever", "takes forever", "need it for (?:bills|rent)",
    "broke everything", "nothing works", r"never work(?:s|ed)", "you just said", "you literally (?:just )?said",
    "unreal",
    "feel (?:sick|ill)", "not good with (?:this|computers|technology|tech|apps)",
    "breathing down my neck", "under (?:so much |a lot of )?pressure",
    "about to (?:switch|cancel|leave|give up|lose it)", r"been waiting \d+ (?:minutes|mins)",
    r"spent (?:\w+ ){0,2}hours?",
    r"on hold (?:with you |with \w+ )?(?:for )?(?:\w+ ){0,2}hours?",
    # fourteenth round: discouragement, suspicion, stakes and complaints said plainly
    r"demorali[sz]\w*", "it really hurt",
    *(f"{v} me (?:mad|crazy|nuts|insane|up the wall)" for v in ("drove", "driving", "drives")),
    *(f"{i_am} in (?:real |big |serious |so much )?trouble" for i_am in ("i'm", "im", "i am", "i'll be", "i will be")),
    "starting to think",
    r"no need to be (?:so )?(?:snarky|snippy|rude|sarcastic|condescending|patronising|patronizing)", "snarky",
    # twenty-second round: calling in vain, a child's meltdown, disbelief
    r"tried (?:calling|to call|phoning|ringing|to get through)", "before giving up", r"melt(?:ing)? ?down",
    "heard that before", "snippy",
    # twenty-third round: a hard stretch, a hassle, the company's own word against the agent's
    *(f"{had} (?:a |an )?(?:really |very |so |pretty )?(?:bad|rough|hard|tough|terrible|awful|horrible|crap|crappy) "
      "(?:week|day|month|year)" for had in ("been", "had", "having", "another", "such")),
    "that's a pain", "thats a pain", "what a pain", "such a pain", "a real pain", "a huge pain",
    r"your own (?:\w+ ){0,2}(?:says|said|say)", r"literally (?:standing|sitting|right here|outside|at the)",
    "never agreed",
    r"without (?:even )?(?:asking|telling|warning|my (?:permission|consent|approval))",
    *(f"{my} money back (?:now|immediately|today|right now)" for my in ("my", "our")),
    "already did that", "already tried that", "really needed", r"took (?:the |a )?(?:day|morning|afternoon|time) off",
    "can't lose", "cannot lose", "broke down", "broken down", "stranded", "late husband", "late wife",
    "late mum", "late mom", "late dad", "late father", "late mother",
    # fifteenth round: alarm, sarcasm, demands, feeling misled, waits counted
    "freaking me out", "freaks me out", "scary", "flustered", "misled", "misleading",
    "getting nowhere", "back and forth", "for ages", "no apology", "sort it out", "made this mess", "your mess",
    "you're kidding", "youre kidding", "you must be kidding", "do you even read", "love that for me",
    "broken into", r"costing (?:me|us)",
    r"want my [$€£]\d+ back", *(f"{how} is (?:that|this|it) my fault" for how in ("how", "why")),
    *(f"{have} slept" for have in ("haven't", "havent", "have not", "hardly", "barely")),
    r"wasted \d+ (?:minutes|mins|hours)",
    r"on hold (?:for )?(?:over |almost |nearly )?\d+ (?:mins?|minutes)",
    "already and nothing",
    # sixteenth round: money worries, loss, discouragement said plainly
    *(f"money's {how}tight" for how in ("", "really ", "so ", "a bit ", "been really ", "been so ", "been ", "very ")),
    "tight budget", "don't have spare", "dont have spare", r"need (?:that|the|this|my) money", "stressful",
    "so over it",
    "bummed", "really down", "feeling down", r"disgrace\w*", "shady", "sneaky",
    "garbage(?! disposal| collection| bin| can| truck| day| pick| bag| chute)", "absolute joke",
    "complete joke", "cried", "sorry for asking", "nobody read", "nobody tells", "nobody tell", "can't believe this",
    r"what am i (?:even )?paying for", r"waited (?:all|the whole) (?:morning|day|afternoon|evening)",
    r"waited \d+ (?:min|mins|minutes|hours)", "got stolen", "was stolen", "been stolen",
    # seventeenth round
    "overwhelmed", "close to tears", "near tears", "verge of tears", "short on money", "front the money",
    r"borrow(?:ed)? money", "went overdrawn", "if i can afford", r"waited (?:weeks|months|days)", "really can't miss",
    "ripped off", "better not happen again", r"been without (?:internet|power|water|heat|heating|hot water|wifi)",
    # eighteenth round: hardship and strain said in passing ("I'm on my last $40 until payday", "my hours got cut")
    r"on (?:my|our) last [$€£]?\d+",
    # "$40 to my name"; but "move the policy to my name" is a transfer
    *(f"{what} to my name" for what in ("nothing", "left", "dollars", "bucks", "pounds", "quid", "cents",
                                        *(f"{digit}\\d*" for digit in "0123456789"))),
    r"rent(?:'s| is)? due", "grocery money", "rent money",
    r"counting on (?:this|that|the|my) (?:money|refund|payment|check|cheque)",
    r"money(?:'s| is) (?:super|very|pretty|extremely|incredibly) tight", r"hours (?:got |were |have been )?cut",
    "laid off", "out of work", r"wiped out (?:our|my) (?:savings|account|bank)", "two jobs",
    r"single (?:mom|mum|dad|parent|mother|father)", r"can(?:'t|not) keep doing this",
    r"really struggl\w*", r"been struggl\w*", "a wreck", r"dread(?:ing|ed)", r"can(?:'t|not) face",
    "hold it together", r"a lot (?:right now|at the moment|to deal with|going on)",
    *(f"{been} (?:a |such a )?(?:really |very |pretty )?(?:rough|tough|hard|difficult|awful|terrible) "
      r"(?:few )?(?:day|days|week|weeks|month|months|year|time)" for been in ("been", "had")), "keep waking up",
    r"can(?:'t|not) stop thinking",
    r"been (?:really |very |so )?(?:sick|ill)", "say goodbye", r"first day (?:at|of) ",
    r"job interview (?:today|tonight|tomorrow|this (?:morning|afternoon)|in (?:\d+|an|half)|across town|"
    r"on (?:mon|tues|wednes|thurs|fri|satur|sun)day)",
    # nineteenth round (home care, salon, mattress and pest control sets, after their blind scoring)
    # "I'm not sure how I'll cover it": the doubt is the distress (written out: "not" before a cue denies it)
    *(f"{unsure}how {we} (?:pay|cover|afford|manage)" for unsure in ("", "not sure ")
      for we in ("i'll", "i will", "i'm going to", "we'll", "we will", "we're going to")),
    "fixed income", "unpaid day", "i'm failing", "know where to start", "at a loss",
    "hurtful", "why are you being", "how many times do i have to", "killing us", "killing me", "fall through",
    "threatening to", "going to sue",
    "don't have anyone", "no one to help", "nobody to help", "stuck at home", "zero sleep", "no sleep",
    "sleeping on the floor", "sleeping on an air mattress", "can't bend")
# Situations that distress anyone: emergencies, injury, illness and bereavement. Once the agent has acknowledged
# them, naming them again in a calm follow-up is not new distress (..is_distressed).
_SITUATIONS = (
    r"urgent\w*",
    "emergency(?! contact| number| exit| visit| call-?out| service| appointment| line| lockouts?| repairs?| rates?"
    "| fees?| surcharge| pricing)", "passed away", "funeral", "in (?:the )?hospital",
    "into (?:the )?hospital", "ambulance",
    "bleeding(?![ -]edge)", r"injur(?:ed|y|ies)", "hurt myself", "i'm hurt", "i am hurt", "got hurt", "been hurt",
    "concussion", "food poisoning", "allergic reaction", r"anaphyla\w*", "throwing up", r"vomit\w*", "stitches",
    "lost my (?:job|home|house|husband|wife|partner|mum|mom|dad|father|mother|son|daughter)",
    r"lost (?:my|our) (?:old |dear |beloved )?(?:cat|dog|pet|puppy|kitten|horse)(?![\w'’])",
    *(f"{who} (?:died|passed)" for who in ("husband", "wife", "partner", "mum", "mom", "dad", "father", "mother",
                                           "son", "daughter", "brother", "sister")),
    *(f"{who} (?:died|passed|is gone)" for who in ("he", "she", "grandpa", "grandma", "grandad", "granddad",
                                                    "grandmother", "grandfather", "baby", "uncle", "aunt", "friend")),
    "hospice", "recovering from", *(f"{was} diagnosed" for was in ("was", "been", "got", "just")), "chemo",
    "chemotherapy", "cancer",
    "had a stroke", "since the stroke", "heart attack", "c-section", "newborn", "on oxygen", "being deployed",
    "getting deployed", "had a fall", "i slipped", "swollen", "bullied", "laughing at her", "laughing at him",
    *(f"{who} fell" for who in ("she", "he", "mom", "mum", "dad", "grandma", "grandpa", "my son", "my daughter")),
    "in the er", "to the er", "in a&e", "to a&e", "stillborn",
    r"miscarr\w*", "divorce", r"in and out of (?:the )?hospital",
    r"would(?: have|'ve) been (?:his|her|my|our|their) (?:\w+ )?birthday", "had an accident", "in an accident",
    "car accident",
    *(f"{nearly} (?:got )?(?:hit|ran|run over|reversed into|knocked|crashed|fell)" for nearly in ("nearly", "almost")),
    "it's freezing", "i'm freezing",
    "housebound", "so cold", "in agony", "in pain", "middle of nowhere", "police", "break-in", "broke in",
    r"burglar\w*", "intruder")
_DISTRESS_SCAN = WordScan(_FEELINGS + _SITUATIONS)
_FEELINGS_SCAN = WordScan(_FEELINGS)
DISTRESS_RE = _DISTRESS_SCAN.rx
# Before a cue: it is denied ("not frustrated"); supposed ones ("if I'm late") are _supposed_at's.
_NEGATED = re.compile(r"\b(?:not|n't|no|nothing|no longer|never|isn't|wasn't|aren't)\s+(?:[\w'’]+\s+)?$",
                      re.IGNORECASE)

_ACKNOWLEDGEMENTS = (
    # not the non-apology "sorry you feel that way"
    r"sorry(?! you feel (?:that way|like that)| that you feel)", r"apolog\w*", r"understand\w*", r"frustrat\w*",
    "i hear you", "that must (?:be|have)",
    "must be (?:so |really |very )?(?:frustrating|annoying|difficult|hard|stressful|disappointing|upsetting|"
    "inconvenient|worrying|confusing)",
    # thanks for the patience, not "thank you for your message"
    "thanks? (?:you )?(?:so much |very much )?for (?:your (?:patience|understanding)|bearing|waiting|being patient|"
    "hanging)", "appreciate (?:your|you)",
    "i can (?:only )?imagine", "we can (?:only )?imagine", "i see how", "i know how", "i get (?:it|that|how|why)",
    # not a bare "unfortunately" (it announces a refusal) nor "not our concern"
    *(f"{very} unfortunate" for very in ("really", "so", "very", "most", "truly")), "my bad", r"regret\w*", "oh no",
    "yikes", "oof", "your concerns?",
    r"concern(?:ed|ing)", r"inconvenien\w*",
    # "not the kind of experience we want", "that's not what we like to hear"
    "not (?:the |a |an )?(?:(?:kind|type|sort) of )?experience", r"not what (?:we|i) (?:want|like|expect|hope)\w*",
    *(f"{feeling} to (?:see|hear|read|learn)" for feeling in ("hate", "sad", "unhappy", "gutted", "bummed")),
    "not (?:good|great|nice|fun|ideal) to (?:hear|see|read)",
    "that(?:'s|’s| is) (?:so |really |very |just |such an? |an? )?(?:awful|terrible|horrible|not good|not great|"
    "not okay|"
    "not ok|"
    "frustrating|annoying|disappointing|insane|rough|tough|a pain|no fun|not fun|not right|unacceptable|unsettling|"
    "scary|worrying|stressful|upsetting|frightening|"
    "not acceptable|a shame|a bummer)",
    "what a (?:pain|hassle|nightmare|shame|bummer|mess)",
    "sounds (?:so |really |very |incredibly |super |pretty |like )?(?:a )?(?:frustrating|annoying|awful|terrible|"
    "stressful|difficult|hard|rough|upsetting|worrying|scary|disappointing|horrible|inconvenient|exhausting|pain|"
    "nightmare|hassle|frightening|terrifying|alarming|distressing|heartbreaking|unsettling|nerve-wracking|"
    "infuriating|maddening|exasperating|disheartening)",
    *(f"{hard} (?:time|times|situation|day|week)" for hard in ("difficult", "tough", "hard", "trying", "challenging")),
    "stressful", "no wonder you", r"should(?:n't|n’t| not) (?:have )?(?:happen|happened|be happening)",
    "totally get", "completely get", "feel for you", "feel your (?:pain|frustration)", "we hear you",
    "makes sense", r"normal (?:thing |way )?to feel", "you're not alone", "you are not alone", "not the only one",
    # reassurance about a slip: "don't feel dumb", "not silly at all", "easy mistake", "happens to the best of us"
    r"don't feel (?:bad|dumb|silly|stupid|embarrassed)", r"not (?:dumb|silly|stupid|useless) at all", "easy mistake",
    r"sympath\w*", "trips up", "i know you're", "i know you are",
    r"easy to (?:miss|mix up|do|confuse|overlook)", r"happens to (?:everyone|the best of us|all of us)",
    "in good hands", "understood", "thinking of you", "don't worry(?! so much)", "no need to worry(?! so much)",
    "not to worry",
    "completely fair", "totally fair", "that(?:'s| is) fair", "i know(?=[.!,])", "not okay", "isn't okay",
    "not good enough", "isn't good enough",
    r"i(?:'d| would) be (?:so |really |just as )?(?:furious|annoyed|upset|frustrated|angry|fuming|livid|mad|worried|"
    r"stressed|gutted|fed up) too", "try not to (?:panic|worry)", "did the right thing",
    "out of your control", "no stress", "make (?:this|it|things) right", "you're right", "you are right",
    "fair enough", "valid (?:point|concern|question|feelings?|frustration|complaint)", "totally valid",
    "completely valid", "perfectly valid",
    "rightly", "rightfully", "my apologies", "our apologies", "hear that",
    "normal to be", "fair point", "i know this is", "right to be",
    r"poor (?:little )?(?:thing|guy|girl|kid|baby|boy|pup|puppy|dog|cat|kitty|fella|love)",
    r"hope (?:\w+ ){1,3}goes (?:well|smoothly|okay|ok|fine)", "get well soon", "speedy recovery", "feel better soon",
    # twenty-second round: "I hope your little one's feeling better", "Don't panic", "a really common worry"
    r"hope (?:\w+['’]?\w* ){1,4}(?:feeling|feels|getting|gets) better", r"don['’]?t panic",
    *(f"{usual} (?:worry|concern|fear)" for usual in ("common", "normal", "understandable", "natural")),
    "where you're coming from", "where you are coming from",
    # "such a normal feeling", "shows how much you care", "would wear anyone's patience thin", "accidents happen"
    r"such a normal (?:feeling|reaction|worry|thing)", *(f"{verb} how much you care" for verb in ("shows", "means")),
    *(f"{verb} (?:anyone|anybody)['’]s patience" for verb in ("wear", "test", "try")),
    r"would (?:frustrate|annoy|upset|worry|stress) (?:anyone|anybody)", "accidents happen", "no fun",
    # twenty-first round: reassurance ("we'll take it one step at a time", "Not at all!", "totally okay")
    "one step at a time", *(f"{go} step by step" for go in ("go", "take it", "do it", "walk you through it")),
    r"take (?:whatever|all the|as much) time you need",
    "good luck (?:with (?!that)|on |at |for |in )",  # not the brush-off "good luck with that"
    *(f"{quite} (?:okay|ok|normal|fine|understandable)" for quite in ("totally", "completely", "perfectly")),
    "not at all(?=!)",
    *(f"glad {who} (?:ok|okay|alright|all right|safe|fine|well)"
      for who in ("she's", "he's", "you're", "they're", "everyone's", "she is", "he is", "you are", "they are")),
    *(f"{this} (?:so |really |very )?(?:terrifying|scary|frightening|stressful|worrying|upsetting|nerve-wracking)"
      for this in ("this is", "it's", "it is")))
_ACK_SCAN = WordScan(_ACKNOWLEDGEMENTS)
ACK_RE = _ACK_SCAN.rx

_SHOUTING = re.compile(r"\b[A-Z]{4,}\b")
_CAPS_RUN = re.compile(r"[A-Z]{4}")  # in every _SHOUTING match; starts with a class, so SRE skips to capitals
_CAPS3 = re.compile(r"[A-Z]{3}")     # in every _CAPS_RUN and _EMPHATIC match
# One word stressed in capitals in a sentence otherwise in lower case: insisting, exasperated.
_EMPHATIC = re.compile(r"(?<![A-Z]{2} )\b(?:NOT|NEVER|DID|DIDN'T|DIDNT|ALREADY|STILL|AGAIN|WHY|NOTHING|NOBODY|TWICE|"
                       r"EVERY|THREE|ANY|NOW|TODAY|EVERYWHERE|EVER)\b(?! [A-Z]{2})")
_NOT_SHOUTING = {"USPS", "FEDEX", "ASAP", "HTTP", "HTTPS", "INFO", "SKUS", "NASA", "ACME"}
# A thankful or happy message: its !! and capitals are enthusiasm.
_CHEERFUL = re.compile(r"\b(?:thanks?|thank you|thx|ty|cheers|great|awesome|perfect|brilliant|amazing|love|yay|"
                       r"congrats|wonderful|excellent|appreciated?|glad|happy|fantastic|lovely)\b", re.IGNORECASE)
_COMPLAINT = re.compile(r"\b(?:where|why|when|how|what|who|wtf|help|still|again|seriously|really|anyone|anybody|"
                        r"hel+o+|didn't|didnt|never|nobody|tomorrow|tonight|today)\b",
                        re.IGNORECASE)


def _agitated(text: str, sentiment: float) -> bool:
    """'WHERE IS MY ORDER', 'PLEASE HELP', 'where is it??', 'lost bag!!!': capitals, or !!/?? in a complaint.
    Not agitation: "thanks!!", "GREAT NEWS", "is the fee $6 now??", a code in capitals ("can I use FREEDEL?")."""
    text = text[:5000]
    runs = "!!" in text or "??" in text or "!?" in text or "?!" in text  # substring tests: fast
    caps3 = _CAPS3.search(text) is not None
    caps_run = caps3 and _CAPS_RUN.search(text) is not None
    if not (runs or caps3) or _CHEERFUL.search(text):
        return False
    if caps3 and _EMPHATIC.search(text):
        return True  # "I DID press it", "then WHY am I banned", "it was NOT blocking anything"
    if runs and sentiment < 0.3 and (sentiment < 0 or "!!!" in text or "???" in text or _COMPLAINT.search(text)):
        return True
    if not caps_run:
        return False
    # Words in capitals, not codes or acronyms ("FREEDEL", "DMARC" are no English words): two of them, or one in
    # a complaint ("wrong boots AGAIN").
    caps = [w for m in _SHOUTING.finditer(text)
            if (w := m.group(0)) not in _NOT_SHOUTING and is_english_word(w.lower())]
    return len(caps) >= 2 or (len(caps) == 1 and sentiment < 0)


# Feelings a laugh does not undo ("I cried in the car yesterday lol").
_STRONG_FEELINGS = WordScan(("anxious", "cried", "in tears", "panicking", "terrified", "devastated",
                             "heartbroken", "overwhelmed", "stressed", "desperate"))
_LAUGHS = re.compile(r"\b(?:lol+|lmao|rofl|haha\w*|hehe\w*)\b|😂|🤣|😆|😅", re.IGNORECASE)
# The customer taking back their own tone ("sorry for being snippy", "sorry I yelled"): calming down, not distress.
_TAKES_BACK_TONE = re.compile(r"\bsorry (?:for|about|i|i've|if i)\s+(?:was |were |got |been |being |getting |the |my |"
                              r"so |a bit |that )*(?:snippy|rude|short|grumpy|cranky|snappy|harsh|rant\w*|yell\w*|"
                              r"shout\w*|snapp\w*|tone|outburst|attitude|venting|vent|panicking|"
                              r"freaking out)\b",
                              re.IGNORECASE)
# "Can I cancel if someone gets sick?", "what if he hates it": the feeling is supposed, not felt.
_SUPPOSED = re.compile(r"\b(?:if|in case|unless|should i)\b[^.!?]*", re.IGNORECASE)


def _emotional(text: str) -> bool:
    """Whether some clearly negative VADER word (valence <= -1) in the text is not a fault word."""
    lexicon = get_analyzer().lexicon
    return any(lexicon.get(w, 0) <= -1 and w not in _FAULT_WORDS for w in _WORD.findall(text.lower()))


def is_distressed(text: str, sentiment: float, acknowledged: bool = False) -> bool:
    """`acknowledged`: the agent has already acknowledged the customer's feelings in this chat; then a calm
    follow-up that names the situation again ("can I extend the freeze if I'm still in hospital?") is not new
    distress, while stated feelings, negativity and agitation still are. A message that laughs ("my wallet is
    scared lol") is joking about it, and one that takes back its tone ("sorry for being snippy") is calming down,
    unless it states a strong feeling (checked last: few messages get that far)."""
    calm = _LAUGHS.search(text[:5000]) or _TAKES_BACK_TONE.search(text[:5000])
    return _shows_distress(text, sentiment, acknowledged) and (not calm or _STRONG_FEELINGS.search(text[:5000]))


def _shows_distress(text: str, sentiment: float, acknowledged: bool) -> bool:
    if (sentiment <= DISTRESS_THRESHOLD and _emotional(_SUPPOSED.sub("", text[:5000]))) or _agitated(text, sentiment):
        return True
    scan = _FEELINGS_SCAN if acknowledged else _DISTRESS_SCAN
    text = text[:5000]
    low = safe_lower(text)  # same offsets as text
    if low is None:
        matches = scan.rx.finditer(text)
    elif scan.may_match(low):
        matches = scan.lower_rx.finditer(low)
    else:
        return False
    return any(not _NEGATED.search(text[max(0, m.start() - 25):m.start()]) and not _supposed_at(text, m.start())
               for m in matches)


_CLAUSE_START = re.compile(r"[.!?;,\n]")


def _supposed_at(text: str, at: int) -> bool:
    """Whether the words at `at` closely follow an "if" / "in case" / "unless" in their clause ("and if it clogs a
    third time?"; but "if this isn't sorted by 9 I'm in real trouble" states the trouble)."""
    start = max(0, at - 20)
    ends = [m.end() for m in _CLAUSE_START.finditer(text, start, at)]
    return _SUPPOSED.search(text, ends[-1] if ends else start, at) is not None


def acknowledges(text: str) -> bool:
    return _ACK_SCAN.search(text[:5000])
