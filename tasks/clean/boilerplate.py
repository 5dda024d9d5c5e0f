"""What is not the story: page chrome and promotional blocks.

Two kinds of evidence: the element itself (tag, class/id, role, hidden) and
its text ("Advertisement", "Share", newsletter pitches). Both are kept as
data here, so extending them is a one-line change with a fixture to prove it.
"""

from __future__ import annotations

import functools
import re

from lxml import html

from tasks.clean.appeals import READER_APPEAL
from tasks.clean.labels import OTHER_LANGUAGE_LABELS
from tasks.clean.parse import text_within, tokens

# Never content, wherever they are.
DROP_TAGS = frozenset({
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
    "embed", "applet", "form", "button", "input", "select", "textarea", "svg", "math",
    "canvas", "video", "audio", "map", "dialog", "link", "meta", "base",
    "amp-ad", "amp-embed", "amp-analytics", "amp-sticky-ad", "amp-social-share",
})
# Page chrome: dropped unless it is the article container itself.
CHROME_TAGS = frozenset({"nav", "footer", "aside", "menu"})

# class/id words that mark boilerplate, matched as whole words of the class
# or id (split on -, _ and spaces), so "shadow" never matches "ad". Strong
# words name blocks that are never story text, whatever they hold; weak
# words are also used for layout ("widget-container", "hidden-xs",
# "overlay-handle"), so they only count on blocks without much prose.
_STRONG_WORDS = {
    "ad", "ads", "advert", "adverts", "advertisement", "advertising", "adslot", "adunit",
    "dfp", "sponsor", "sponsored", "share", "sharing", "shares", "sharebar", "social",
    "socials", "sociallinks", "newsletter", "newsletters", "subscribe", "signup",
    "related", "recommended", "recommendations", "recirc", "readmore", "trending",
    "mostread", "outbrain", "taboola", "comments", "comment", "disqus", "cookie", "cookies",
    "consent", "gdpr", "breadcrumb", "breadcrumbs", "nav", "navbar", "navigation", "menu",
    "sidebar", "tagcloud", "masthead", "byline", "dateline", "timestamp",
    "caption", "credit", "figcaption", "footer", "gallery", "slideshow", "carousel", "cta",
    "lightbox", "bio", "bios", "biography", "authorbio", "ugc", "flyout",
}
_WEAK_WORDS = {
    "banner", "promo", "promotion", "promoted", "subscription", "paywall", "more", "popular",
    "rail", "widget", "overlay", "toolbar", "tags", "tag", "keywords", "topics", "skip", "print",
    "hidden", "visually", "sr", "screenreader", "author", "gpt", "meta", "hide", "modal", "popup",
}
_EMBED_WORDS = {"embed", "embedded", "embeds"}
# The date line printed above or below the story: chrome in the body, but
# where the publication time is read (marks_date).
_DATE_FRAGMENTS = ("published_date", "published-date", "publish_date", "publish-date", "pubdate", "post-date",
                   "post_date", "entry-date", "article-date", "article_date", "dateline", "timestamp")
# Reading toolbars ("text size: T T"); a class that sets the story's own
# type size ("view-page font-size17") says the same words.
_TOOLBAR_FRAGMENTS = ("text_size", "text-size", "textsize", "font_size", "font-size", "fontsize")
# Compound words seen in the wild, matched as substrings (strong).
_BOILERPLATE_FRAGMENTS = (
    "advert", "newsletter", "social-", "share-", "-share", "sharebar", "socialshare", "sharing", "cookie",
    "util-bar", "utility-bar", "utilitybar",
    "related-", "-related", "recommend", "outbrain", "taboola", "sponsor", "subscribe",
    "promo", "most-read", "mostread", "read-more",
    "readmore", "ad-slot", "ad-container", "ad-wrapper", "adslot", "adunit", "ad-unit",
    "google_ads", "dfp-", "signup", "sign-up", "comment-", "-comments", "caption", "player",
    *_TOOLBAR_FRAGMENTS,
    *_DATE_FRAGMENTS,
)
# Words that would match above but name a content container.
_CONTENT_WORDS = ("article-body", "articlebody", "story-body", "entry-content", "post-content",
                  "article-content", "story-content", "body-text", "post-body")

# CMS taxonomy classes ("category-promotions", "tag-social-media") name the
# story's subjects, not the block's role.
_TAXONOMY = re.compile(r"(?<![\w-])(?:category|tag|post_tag|tags|topic|section|format|post_format|channel)-\S*")
# "no_caption", "has-caption", "with-byline", "comments-enabled", "no-ads": a block's state
# (what it has, what the page turns on around it), not a caption, byline or comment box.
_STATE = re.compile(r"(?<![\w-])(?:(?:no|has|with|without|enable|disable|allow)[-_]?(?:captions?|credits?|bylines?"
                    r"|comments?|ads|sharing|newsletter|related|gallery)"
                    r"|(?:comments?|sharing|share|ads?)[-_](?:enabled|disabled|open|closed|on|off|allowed|free))(?![\w-])")
_WORD_SPLIT = re.compile(r"[\s_\-]+")

# Whole blocks whose text is boilerplate. Anchored: a story sentence that
# merely mentions a newsletter stays.
BOILERPLATE_TEXT = re.compile(
    r"""^(?:
        share(?:\s+(?:this|on|via)\b.*)? | shares? | tweet | email | print | save | comments?
      | (?=.*[a-z])(?>(?:shares|share|tweet|e-mail|email|print|save|comments?|connect|more|pin|whatsapp|facebook
          |twitter|linkedin|reddit|copy\s*link|\d+)[\s|·•/]*){2,}  # a share bar's labels and counts: "SHARE 79 TWEETEMAILMORE"
      | (?:advertisement|advertising|advert|ad)(?:\s*[-–—:|·•]?\s*(?:continue|story|article|scroll)\b.{0,40})?
      | sponsored(?:\s+content)? | paid\s+content
      | (?:scroll|continue)\s+(?:down\s+)?(?:to|for)\s+(?:continue|more|content).*
      | story\s+continues\s+below.* | article\s+continues\s+(?:below|after).*
      | continue\s+reading(?:\s+(?:the\s+)?(?:main\s+)?(?:story|article|below))?
      | (?:sign\s*up|subscribe|register)\b.{0,120}\b(?:newsletter|updates|inbox|email|alerts)\b.*
      | .{0,80}\bnewsletter\b.{0,80}(?:sign\s*up|subscribe|inbox)\b.*
      | get\s+(?:our|the)\s+.{0,40}newsletter.*
      | (?=.{0,300}$)(?!.*\b(?:said|says|told)\b)(?:get|receive)\b.{0,120}\b(?:alerts|e-?mails?|newsletters?|briefings?)\b.{0,80}\b(?:delivered|inbox|weekday|every\s+(?:day|morning|week))\b.*
      | (?:breaking\s+news|daily|weekly|morning|evening|free)\s+(?:e-?mails|newsletters?|alerts|briefing) | subscribe(?:\s+now)?
      | (?=.{0,300}$)(?=.*\b(?:sign\s*up|subscribe|delivered)\b)(?=.*\b(?:newsletters?|inbox)\b).*
      | (?:tags?|tagged|filed\s+under|categor(?:y|ies)|topics?)\s*(?::\s*[^.!?]{0,200})?
      | .*\[/(?:button|caption|embed|gallery|video|audio|shortcode)\].*
      | (?:read|see)\s+(?:more|also)\s*(?::.*)? | also\s+(?:read|see)\s*(?::.{0,160})? | (?:more|watch|listen)\s*:.{0,160}
      | related\s*(?:stories|articles|coverage|content|links)?\s*(?::.*)?
      | (?=.{0,250}$)related(?:\s+[\w-]+){1,2}\s*:.*
      | (?=.{0,250}$).*\b(?:delivered\s+(?:to|through)\s+your\s+(?:door|letterbox|letter\s+box|mailbox|inbox)
\s+every\s+(?:month|week|day|issue)|\d+\s+issues\s+for\b).*
      | tell\s+us\s+what\s+you\s+think\b.{0,60} | what\s+do\s+you\s+think\s*\?\s*(?:let\s+us\s+know|comment|tell).{0,80}
      | more\s+(?:on\s+this\s+story|stories|from\s+[\w\s]{1,40})\s*(?::.*)?
      | more\s+(?:[\w'’-]+\s+){1,3}(?:stories|articles|reads)\s*:?
      | (?=.{0,200}$)subscribe\s+to\s+[\w\s.'’&-]{1,40}?\s+(?:and|for)\s+(?:stay|get|never|keep|more|unlimited)\b.*
      | (?:follow|like)\s+us\s+on\b.* | click\s+here\b.{0,60}
      | (?:this\s+(?:site|website)\s+uses|we\s+use)\s+cookies\b.* | .{0,60}accept\s+(?:all\s+)?cookies.*
      | (?:image|photo|photograph|video|picture)\s*(?:credit)?\s*:\s*\S.{0,80}
      | (?:©|\(c\))\s.{0,120} | all\s+rights\s+reserved\.?
      | copyright\s(?=.{0,40}(?:©|\b(?:19|20)\d{2}\b)|[^.!?]{0,60}$).{0,120}  # a notice, not "Copyright law protects …"
      | (?:recommended|trending|most\s+(?:read|popular|viewed|shared))(?:\s+(?:stories|articles|now))?\s*:?
      | (?=.{0,50}$)(?:most\s+(?:read|popular|viewed|shared)|latest|popular|trending|more)\s+(?:in|from|on)\s+[\w'’&-]+(?:\s+[\w'’&-]+){0,3}\s*:?
      | (?=.{0,300}$)also\s+(?:on|at)\s+[\w-]+\.[a-z]{2,12}(?:\.[a-z]{2})?\b.*
      | (?:like|liked|enjoy|enjoyed)\s+this\s+(?:story|article|post)\s*\?.{0,80}
      | (?:latest|recent|top|trending|popular)\s+(?:news|stories|articles|posts|headlines)\s*:?
      | (?:listen\s+to\s+(?:this\s+)?(?:article|story)).{0,40} | \d+\s+min(?:ute)?s?\s+read
      | (?:updated|published|posted)\s*:?\s*\w{3,9}\.?\s+\d{1,2},?\s+\d{4}.{0,40}
      | (?=.{0,60}$)(?:last\s+)?(?:updated|published|posted|modified|submitted)\b\s*(?:at|on)?\s*:?\s*(?:[^\W\d_]{3,9}\.?,?\s+){0,2}\d.*
      | (?=.{0,80}$)(?:illustration|illustrations|photo|photos|photograph|photographs|image|images|picture|graphic|graphics|video)\s+(?:by|courtesy\s+of)\s+[^.!?]{1,60}
      | (?=.{0,60}$)(?:photo\s+|image\s+)?courtesy(?:\s+of)?\s+[^.!?]{1,50}
      | (?=.{0,700}$)(?:[^.!?]{0,80}\s[-–—]\s)?file\s*[-–—]\s+(?:in\s+this\b|this\b|an?\b|the\b).*
      | (?=.{0,700}$).*\((?:AP|AFP|EPA|Reuters|Xinhua|Getty\s+Images)\s+Photos?(?:\s*/[^()]{1,80})?\)\s*\.?
      | skip\s+to\s+(?:main\s+)?content | back\s+to\s+top | loading\.{0,3}
      | \(?(?:additional\s+)?(?:reporting|writing|editing)\s+by\b.{0,300}
      | .{0,200}\bcontributed\s+(?:to\s+)?(?:this\s+)?(?:report|story|article)(?:ing)?\.?\)?
      | (?:follow|email|reach|contact)\s.{0,150}(?:twitter|facebook|instagram|@\w+|\S+@\S+|https?://).{0,150}
      | have\s+a\s+(?:news\s+)?tip\b.{0,200}
      | .*(?:&lt;|&amp;lt;|<)/?(?:span|div|p|a|img|br|iframe)\b.*
      | (?:foto|fotos|fotografia|fotograf[ií]a|bild|bilder|imagem|imagen|immagine|cr[ée]dito|cr[ée]ditos|photo\s+credit
         |fotó|zdjęci[ea]|fot\.|фото|снимка|kuva|billede|fotografie|φωτογραφία|照片|写真|사진)\s*[:：]\s*\S.{0,80}
      | (?=.{0,250}$).{5,200}\s[|/]\s*(?:foto|fotos|photo|photos|photograph|bild|imagem|imagen|image|credit|cr[ée]dito)\s*:\s*[^.!?|]{1,60}
      | (?:read|up|watch)\s+next\s*:?.{0,160}
      | (?:text|font)\s+size\b.{0,40}
      | (?=.{0,300}$).*\b(?:subscribe|subscription|log\s*in|sign\s*in|register)\b.{0,80}\bto\s+(?:read|continue|unlock|access|keep\s+reading)\b.*
      | (?=.{0,300}$)this\s+(?:article|story|content)\s+is\s+(?:only\s+)?(?:available|reserved|for)\b.{0,40}\b(?:subscribers|members)\b.*
      | related\s+(?:news|posts|videos|reading|topics)\s*:?.{0,160}
      | (?=.{0,400}$)(?=.*\b(?:third[-\s]party|external)\s+(?:content|provider|video|service)s?\b)(?=.*\b(?:consent|accept|cookies|enable|load)\b).*
      | (?=.{0,200}$).*\b(?:accept|enable|allow)\s+(?:\w+\s+){0,3}cookies\b.{0,40}\b(?:watch|view|play)\b.*
      | (?:join|start)\s+the\s+(?:discussion|conversation)\b.{0,80} | (?:leave|post|add|write)\s+a\s+comment\b.{0,40}
      | (?:please\s+)?(?:sign\s*in|log\s*in|register)(?:\s+now)?\s+to\s+(?:share|comment|post|reply|contribute|join|vote)\b.{0,80}
      | (?=.{0,300}$)(?:aten[çc][ãa]o|aviso|atenci[óo]n|attention|note|nota|hinweis|avviso|importante?)\s*:\s*
        (?:comments?|coment[áa]rios?|commentaires?|kommentare?|commenti)\b
        (?=.*\b(?:moderat\w*|aprovad\w*|aprobad\w*|approv\w*|mod[ée]r[ée]\w*|freigeschaltet|publicad\w*|publi[ée]s?)\b).*
      | (?=.{0,300}$)comments?\s+(?:are|will\s+be|may\s+be)\s+(?:pre-?)?(?:moderated|reviewed)\b.*
      | be\s+the\s+first\s+to\s+comment\b.{0,40} | \d+\s+comments? | view\s+(?:all\s+)?comments?.{0,20}
      | (?=.{0,400}$)(?=.*\b(?:comment(?:ing)?\s+(?:policy|guidelines)|community\s+(?:guidelines|standards)|house\s+rules)\b)
        (?=.*\b(?:please|read|review|follow|abide|respect)\b)(?=.*\b(?:comments?|posting|post)\b).*
      | (?=.{0,200}$)[^\W\d_][\w\s'’.-]{0,40}(?:\s[>»›/]\s[\w\s,'’.-]{1,60}){2,}
      | (?:image|photo|picture|slide)\s+\d+\s+of\s*/?\s*\d*\s* | \d+\s*(?:/|of)\s*\d+
      | (?:back\s+to|view|open|launch|see|start)\s+(?:the\s+)?(?:full\s+|photo\s+)?(?:gallery|slideshow)
      | full\s*screen | autoplay | skip\s+ad | buy\s+photo | (?:un)?mute | replay | wait\s+\d+\s+seconds?\s+to\s+continue\.?
      | (?:your\s+)?(?:video|ad|story)\s+will\s+(?:play|begin|start|resume)\s+in\s+[\d:]+(?:\s+seconds?)?\.?
      # A pager's and a view counter's lines: "Page 1 of 2", "Previous Next", "Visto 314 veces", "1,204 views".
      | (?:page|página|pagina|seite|страница)\s+\d+\s+(?:of|de|di|von|из)\s+\d+
      | (?:previous|prev|anterior|précédent|precedente|zurück|vorherige?)\s*(?:[|·/]\s*)?(?:next|siguiente|próximo|suivant|successivo|weiter|nächste)
      | (?:viewed|visto|vista|vu|visualizad[oa]|gelesen|aufgerufen)\s+\d[\d,.]*\s+(?:times|veces|vezes|fois|volte|mal)
      | \d[\d,.]*[km]?\s+(?:views|visitas|visualizaciones|visualizações|vues|aufrufe|visualizzazioni)
      | caption | close | (?:hide|show|toggle)\s+caption | enlarge(?:\s+(?:this\s+)?image)? | view\s+larger(?:\s+image)?
      | explore\s+further
      | (?=.{0,500}$)citation\s*:.{10,400}\bretrieved\b.{0,80}\bfrom\s+https?://\S+
      | (?=.{0,500}$)this\s+(?:document|article|material|content|story|page)\s+is\s+(?:subject\s+to|protected\s+by)
        \s+copyright\b.*
      | \[\s*(?:javascript\s+protected\s+email\s+address|email(?:\s|\xa0)*protected)\s*\]
      | (?=.{0,300}$)by\s+(?:submitting|sending|posting)\s+(?:this|the|your)\s+(?:form|comment|message)\b
        .*\b(?:agree|consent|accept)\w*\b.*
      | (?=.{0,600}$)(?!.*["“”])(?=(?:you|your|we|our)\b)(?=.*\byour\s+(?:personal\s+)?data\b)
        (?=.*\b(?:deleted|disclosed|processed|stored|revoke|third\s+parties)\b)
        (?=.*\b(?:consent|privacy|data\s+protection|spam)\b).*
      | (?=.{0,200}$)(?!.*["“”]).*\b(?:in|see|read)\s+our\s+(?:data\s+protection|privacy)\s+(?:policy|notice|statement)\b.*
      # A paywall's and a login's lines: "Already a subscriber? Log in", "You have reached your limit of
      # free articles", "To continue reading, subscribe now", "Get unlimited digital access for $1".
      | (?=.{0,200}$)already\s+(?:an?\s+(?:subscriber|member|registered\s+user)|subscribed|registered|have\s+an\s+account)
        \s*\?.*
      | (?=.{0,200}$)(?:subscribe\s+(?:now\s+)?(?:for|to\s+get)\s+|(?:get|enjoy)\s+)(?:unlimited|full|instant)
        \s+(?:digital\s+)?access\b.*
      | (?=.{0,250}$)you(?:'ve|’ve|\s+have)\s+(?:reached|read|used)\s+(?:your|the|all\s+(?:of\s+)?your|\d+\s+of\s+(?:your\s+)?\d+)
        \s*(?:limit\s+of\s+|maximum\s+(?:number\s+)?of\s+)?(?:free|complimentary)\s+(?:articles|stories)\b.*
      | (?=.{0,200}$)to\s+(?:continue|keep)\s+reading,?\s+(?:please\s+)?(?:subscribe|log\s*in|sign\s*in|register|become)\b.*
      # Credits and a player's and a screen reader's labels: "(Photo by Ana Ruiz/Getty Images)",
      # "Image source, Getty Images", "Media caption, …", "Credit: Ana Ruiz/The Herald".
      | \((?:photo|image|picture|video)s?\s*(?:by|:|credit\s*:)\s*[^()]{1,80}\)
      | (?:getty\s+images|shutterstock|istock(?:photo)?|alamy)(?:\s*(?:/|via)\s*[\w\s.&-]{1,40})?
      | (?:image|media|video)\s+(?:source|caption)\s*,\s*.{1,250}
      | (?:photo\s+|image\s+)?credits?\s*:\s*\S.{0,80}
      # Page controls: "Copy link", "Print this page", a text-size row ("A A A", "A- A+").
      | copy\s+(?:the\s+)?link | print\s+(?:this\s+)?(?:page|article|story) | (?:a[-+]?\s*){2,3}
      | you\s+are\s+here\s*:.{1,150} | (?:home|homepage|startseite|inicio|início|accueil|главная)\s*[>»›|]\s*.{1,100}
      # An embed held back until the reader agrees: "We need your consent to load this YouTube content",
      # "To view this content, please enable cookies", "Enable JavaScript to view comments".
      | (?=.{0,250}$)(?=.*\b(?:consent|cookies?|javascript)\b)(?:we\s+need\s+your\s+consent\b
        |to\s+(?:view|see|load|display|watch|play|show)\s+this\b|(?:please\s+)?(?:enable|accept|allow)\s+(?:javascript|cookies)\b).*
      | recommended\s+for\s+you | you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested\s+in)\s*:?
      | (?:show|hide|load|open|read|see)\s+(?:all\s+)?(?:\d+\s+)?comments?(?:\s*\(\d+\))?
      | (?:estimated\s+)?reading\s+time\s*:?\s*\d+\s*(?:min(?:ute)?s?|m)\.?
      | this\s+(?:story|article|post)\s+has\s+been\s+shared\s+[\d,.]+\s+times
      | (?=.{0,120}$)(?:download|get)\s+(?:our|the)\s+(?:[\w'’&-]+\s+){0,2}app(?:\s*[.!:]?|\s+(?:now|today|for|on|from|here)\b.*)
      | (?=.{0,160}$)(?:got|have)\s+a\s+(?:story|tip|news\s+tip)(?:\s+idea)?\s*\?\s*(?:email|e-mail|contact|write\s+to|tell|let)\b.*
        | tip\s+us\s*:.{0,120}
      # A press release's trailers: its contacts, the wire's "SOURCE Acme Corp" and link back.
      | (?:media|press|investor)\s+(?:contacts?|inquiries|enquiries|relations)\s*:.{0,300} | (?-i:SOURCE)\s+[A-Z0-9][^.!?]{0,80}
      | view\s+original\s+content(?:\s+to\s+download\s+multimedia)?\s*:\s*https?://\S+
      # A feedback box and a correction form: "Was this article helpful? Yes No", "Report an error".
      # (Where the story first ran and an affiliate note stay: readers are owed them.)
      | was\s+this\s+(?:article|story|page|post|information)\s+(?:helpful|useful)\s*\?.{0,30}
      | (?:report|submit)\s+(?:an?\s+)?(?:error|typo|correction|mistake|problem)(?:\s+(?:in|on|with)\s+this\s+\w+)?
      | (?:spotted|found|see|notice)\s+(?:an?\s+)?(?:error|typo|mistake)\s*\?.{0,160}
      # A blog's post footer: "Posted in News, Transport | Leave a comment"
      | (?=.{0,120}$)(?:posted|filed)\s+in\s*:?\s+(?:[^\s.!?,|]+(?:\s+[^\s.!?,|]+){0,2}(?:,\s*|\s*$|\s*\|.{0,60})){1,6}
    )$""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)


# A block that is only a date (and time): "2018-08-16", "05/10/2018 14:30",
# "segunda-feira, 22 de janeiro de 2018 às 0:13", "Apr. 24, 2014, 9:49 AM"
# (with the view and share counts some pages print after it). The byline and date are
# read from the page's metadata; in the body a bare date is chrome.
_DATE_ONLY = re.compile(
    r"""^(?=.{0,70}$)(?:[^\W\d_]+(?:-feira)?,?\s+)?
        (?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}
          |\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,12}\.?\s+(?:de\s+)?\d{4}
          |[^\W\d_]{3,12}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})
        (?:,?\s*(?:às|a\s+las|à|um|at|в|,|[|·•–—-])?\s*\d{1,2}[:h.]\d{2}(?::\d{2})?(?:\s*(?:h|uhr|[ap]\.?m\.?))?
           (?:\s*(?:utc|gmt|[ecmp][sd]?t|bst|cet|cest))?)?
        (?:\s+\d[\d,.]*[km]?){0,3}(?:\s*[|·•]\s*\d+\s+min(?:ute)?s?\s+read)?\.?$""",  # "… | 2 min read"
    re.IGNORECASE | re.VERBOSE,
)


STRONG, WEAK = 2, 1
_HIDDEN_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog",
                           "alertdialog", "menu", "menubar", "toolbar",
                           # a control's own label: a player's "Mute", a slider's "Progress: 0%"
                           "button", "menuitem", "menuitemcheckbox", "menuitemradio", "slider", "progressbar",
                           "scrollbar", "spinbutton", "switch", "tablist", "tooltip"})


def boilerplate_strength(element: html.HtmlElement) -> int:
    """0: no sign of boilerplate; WEAK: a layout word; STRONG: never story text."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in DROP_TAGS or tag in CHROME_TAGS:
        return STRONG
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return STRONG
    style = element.get("style")
    if style:
        style = style.replace(" ", "").lower()
        if "display:none" in style or "visibility:hidden" in style:
            return STRONG
    role = element.get("role")
    if role and role.lower() in _HIDDEN_ROLES:
        return STRONG
    marks = _STATE.sub(" ", _TAXONOMY.sub(" ", tokens(element)))
    if not marks.strip():
        return 0
    if _names_content(marks):
        return 0
    words = set(_WORD_SPLIT.split(marks))
    if words & _EMBED_WORDS and element.find(".//blockquote") is not None:
        return 0  # "social-media-embed": a post the story quotes, not the site's share bar
    strong = words & _STRONG_WORDS
    fragments = [fragment for fragment in _BOILERPLATE_FRAGMENTS if fragment in marks]
    if strong or fragments:
        # A layout word on the story's own column ("sidebar-1", "font-size17")
        # names where it sits or how it is set: paragraphs of prose say what it is.
        layout_only = strong <= {"sidebar"} and all(f in _TOOLBAR_FRAGMENTS for f in fragments)
        return 0 if layout_only and _holds_paragraphs(element) else STRONG
    if words & _WEAK_WORDS:
        # A widget box around a post the story embeds (the platforms' own embed code) holds a quote.
        return 0 if element.xpath(_SOCIAL_POST) else WEAK
    return 0


def _holds_paragraphs(element: html.HtmlElement, count: int = 3, depth: int = 1) -> bool:
    """Three or more paragraphs of prose (80 characters or more) right inside
    the element, or right inside one of its columns ("sidebar-layout" >
    "main-col" > p): not three widgets of a paragraph each."""
    found = 0
    for child in element.iterchildren("p"):
        found += not text_within(child, 79)
        if found >= count:
            return True
    return depth > 0 and any(_holds_paragraphs(column, count, depth - 1)
                             for column in element.iterchildren("div", "section", "main", "article"))


def _names_content(marks: str) -> bool:
    """A content container's class ("article-body", "entry-content-wrap"), not a
    box inside it whose compound goes on to say what it is ("post-body-bio")."""
    for token in marks.split():
        for word in _CONTENT_WORDS:
            at = token.find(word)
            if at >= 0 and not set(_WORD_SPLIT.split(token[at + len(word):])) & _STRONG_WORDS:
                return True
    return False


_SOCIAL_POST = (".//blockquote[contains(@class, 'twitter-tweet') or contains(@class, 'instagram-media')"
                " or contains(@class, 'tiktok-embed') or contains(@class, 'bluesky-embed')"
                " or contains(@class, 'text-post-media')]")


def marks_date(element: html.HtmlElement) -> bool:
    """Whether the element's class or id says it holds the story's date."""
    marks = tokens(element)
    return any(fragment in marks for fragment in _DATE_FRAGMENTS) or bool(_DATE_HEAD.search(marks))


# A class whose compound starts with "date" ("article--date-and-comments",
# "date-share") is a date line with extras; in "comment-date" the date is
# the comment's, and no match.
_DATE_HEAD = re.compile(r"(?:^|\s|--|__)dates?(?:[-_]|\s|$)")


def is_boilerplate_element(element: html.HtmlElement) -> bool:
    return boilerplate_strength(element) > 0


@functools.lru_cache(maxsize=8192)
def is_boilerplate_text(text: str) -> bool:
    # Cached: each block's text is asked about by several passes (reading,
    # the pull-quote check, dedupe), and the patterns are the costly part.
    text = text.strip()
    return bool(BOILERPLATE_TEXT.match(text) or OTHER_LANGUAGE_LABELS.match(text) or _DATE_ONLY.match(text)
                or READER_APPEAL.match(text))
