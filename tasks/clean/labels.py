"""Labels of page chrome beyond the English lines in boilerplate.py: the
label over a list of other stories (in English and other languages), and
the other-language forms of ads, share bars, "read also", tags, sign-up,
paywall, ad-break and rights lines."""

from __future__ import annotations

import re

# The same labels in the other languages newsrooms most often publish in:
# Spanish, Portuguese, French, German, Italian, Dutch, Russian, Japanese,
# Chinese, Arabic. Whole blocks only, like the English ones.
_AD = (r"publicidad|anuncio|publicidade|publicité|pubblicità|anzeige|werbung|advertentie|reclame|реклама|広告|广告|廣告|إعلان"
       r"|reklama|reklam|annonse|annonce|annons|mainos|hirdetés|reklame|iklan|quảng\s+cáo|โฆษณา|광고|विज्ञापन"
       r"|διαφήμιση|publicitate|oglas|sponsorlu|تبلیغات|פרסומת")
_SHARE = (r"compartir|compartilhe|compartilhar|partager|partagez|condividi|teilen|delen|поделиться"
          r"|シェア(?:する)?|分享|شارك|voltar|volver|retour|zurück|torna\s+indietro|назад|戻る|返回|imprimir|imprimer|drucken"
          r"|udostępnij|dela|del|jaa|paylaş|sdílet|(?:artikel|beitrag)\s+teilen|artikel\s+drucken"
          r"|comparte|condividi|bagikan|chia\s+sẻ|κοινοποίηση|שתפו|शेयर\s+करें|分享到|공유하기|แชร์|ツイート"
          # "この記事をシェアする", and the QR code to open the page on a phone ("扫一扫在手机打开当前页")
          r"|(?:この)?記事を(?:シェア|共有)(?:する)?|[扫掃]一[扫掃](?:在手[机機](?:上)?打[开開](?:当前|當前|本)[页頁])?"
          r"|[扫掃]描二[维維][码碼].{0,20}"
          # "Compartir en Facebook", "Partager cet article", "Facebook'ta paylaş", "Jaa Facebookissa"
          r"|(?:compartir|compartilhe|compartilhar|partager|partagez|teilen|condividi|delen|udostępnij|поделиться"
          r"|dela|del|sdílet|share)\s+(?:en|sur|auf|su|no|na|op|på|в|on|via)\s+(?:facebook\w*|twitter|x|whatsapp"
          r"|linkedin|telegram|pinterest|reddit|e-?mail)"
          r"|(?:comparte|compartir|partager|partagez|teilen|condividi|compartilhe|delen)\s+(?:esta|este|cet|cette"
          r"|diesen|dieses|questo|questa|esta|este|dit|deze)\s+(?:noticia|nota|artículo|article|artikel|articolo"
          r"|notícia|matéria|publicación|beitrag|bericht)"
          r"|(?:facebook|twitter|whatsapp)(?:'ta|'da)\s+paylaş|jaa\s+(?:facebookissa|twitterissä|whatsappissa)"
          r"|(?:auf\s+(?:facebook|twitter|whatsapp)|diese[nsr]?\s+(?:artikel|beitrag))\s+teilen")
_READ_ALSO = (r"(?:lee|leer|leia|veja|vea|lire|lisez|voir|leggi|lesen\s+sie|lies|lees|читайте|читать|смотрите)"
              r"\s+(?:también|tambem|também|mais|más|aussi|également|anche|auch|ook|также|ещё|еще)"
              r"|(?:à|a)\s+lire\s+(?:aussi|également)|mehr\s+zum\s+thema|auch\s+interessant|te\s+puede\s+interesar"
              r"|potrebbe\s+interessarti|vous\s+aimerez\s+aussi|você\s+(?:pode|também)\s+(?:gostar|pode\s+gostar)"
              r"|関連記事|あわせて読みたい|合わせて読みたい|こちらもおすすめ|おすすめ記事|関連ニュース|関連リンク"
              r"|相关(?:阅读|文章|新闻|报道)|相關(?:閱讀|文章|新聞|報導)|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀"
              r"|اقرأ\s+(?:أيضا|أيضاً)|(?:zobacz|czytaj|przeczytaj)\s+(?:też|także|również)"
              r"|(?:läs|les|læs)\s+(?:också|även|også|ogsa)|lue\s+myös"
              r"|ayrıca\s+(?:okuyun|bakınız)|das\s+könnte\s+sie\s+(?:auch\s+)?interessieren|ti\s+potrebbe\s+interessare"
              r"|(?:empfohlene|weitere)\s+(?:artikel|beiträge|nachrichten)|mehr\s+(?:artikel|nachrichten|news)"
              # Spanish, French, Portuguese beyond the forms above
              r"|(?:lea|ver|mira)\s+también|también\s+te\s+puede\s+interesar|te\s+recomendamos"
              r"|sur\s+le\s+même\s+sujet|(?:à|a)\s+voir\s+aussi|saiba\s+mais"
              # Indonesian and Malay, Vietnamese, Czech and Slovak, Hungarian, Romanian, Greek,
              # Hindi, Ukrainian, Hebrew, Turkish, Thai, Persian
              r"|(?:baca|lihat|simak)\s+(?:juga|pula)|xem\s+thêm|đọc\s+thêm"
              r"|(?:přečtěte\s+si|čtěte|čtěte\s+si|prečítajte\s+si|čítajte)\s+(?:také|též|tiež|aj)"
              r"|olvassa?\s+el\s+ezt\s+is|ezt\s+is\s+olvassa?\s+el|(?:citește|citeste|citiți|vezi)\s+(?:și|si)"
              r"|διαβάστε\s+(?:επίσης|ακόμη)|(?:यह|ये)\s+भी\s+पढ़ें|(?:читайте|дивіться)\s+(?:також|теж)"
              r"|קראו\s+גם|(?:bunlar\s+da\s+)?(?:i|İ)lginizi\s+çekebilir|อ่านเพิ่มเติม|بیشتر\s+بخوانید")
# A "more" label ("Leia mais", "Xem thêm") often opens the rest of the same
# story, where the ones above point away from it.
_READ_MORE = (r"(?:lee|leer|leia|veja|vea|lire|lisez|voir|leggi|lies|lees|читайте|читать|смотрите)"
              r"\s+(?:mais|más|ещё|еще)|saiba\s+mais|xem\s+thêm|đọc\s+thêm|อ่านเพิ่มเติม|بیشتر\s+بخوانید")
_RELATED = (r"(?:noticias|notícias|artículos|artigos|articles|articoli|artikel|materias|matérias|notas|temas)"
            r"\s+(?:relacionad[oa]s|similaires|liés|correlati|connexes)"
            r"|contenidos?\s+relacionados?|conteúdos?\s+relacionados?"
            r"|(?:материалы|статьи|новости)\s+по\s+теме|похожие\s+(?:статьи|материалы|новости)"
            r"|(?:новини|статті|матеріали)\s+на\s+тему|схожі\s+(?:статті|новини|матеріали)"
            r"|(?:самые|самое)\s+(?:популярн|читаем)\w*(?:\s+\w+)?|(?:mais|más)\s+(?:lidas|leídas|populares|vistas)"
            r"|les\s+plus\s+lus|meistgelesen|più\s+lett[ei]|人気記事|ランキング"
            r"|lo\s+más\s+(?:leído|visto)|i\s+più\s+(?:letti|visti)|najczęściej\s+czytane|mest\s+(?:lästa|læste|leste)"
            r"|gerelateerde\s+(?:artikelen|berichten|nieuws)|relater(?:ade|te|ede)\s+(?:artiklar|artikler|nyheter|nyheder)"
            r"|powiązane\s+(?:artykuły|tematy)|(?:tin|bài(?:\s+viết)?)\s+liên\s+quan|관련\s*기사|관련\s*뉴스"
            r"|související\s+(?:články|zprávy)|súvisiace\s+(?:články|správy)|kapcsolódó\s+(?:cikkek|cikk|hírek)"
            r"|articole\s+(?:similare|asemănătoare|recomandate)|σχετικά\s+(?:άρθρα|θέματα)|संबंधित\s+(?:खबरें|ख़बरें|लेख)"
            r"|ilgili\s+(?:haberler|içerikler)|benzer\s+haberler|berita\s+terkait|artikel\s+terkait"
            r"|ข่าวที่เกี่ยวข้อง|เรื่องที่เกี่ยวข้อง|(?:مطالب|اخبار)\s+مرتبط|(?:أخبار|مقالات|مواضيع)\s+ذات\s+صلة|כתבות\s+(?:קשורות|נוספות)"
            r"|热门(?:文章|新闻)|熱門(?:文章|新聞)"
            # the most read and latest, in more languages
            r"|(?:más|mas)\s+noticias|últimas\s+noticias|últimas\s+notícias|nos\s+articles\s+sur\s+le\s+même\s+sujet"
            r"|meest\s+gelezen|en\s+çok\s+okunan(?:lar)?|mest\s+(?:läst|lest|læst)|luetuimmat|nejčtenější"
            r"|cele\s+mai\s+citite|terpopuler|đọc\s+nhiều|الأكثر\s+قراءة|הכי\s+נקראים"
            r"|सबसे\s+ज्यादा\s+पढ़ी\s+गई|많이\s+본\s+뉴스")
# The label over a list of other stories ("More Great WIRED Stories",
# "Related coverage", "Latest News", "Leia também", "Baca juga"): the list
# after it goes with it. "Breaking News" is not one: it is the kicker over a
# story as often; nor is a "more" label, which may open the rest of the story.
MORE_STORIES_LABEL = re.compile(
    r"^(?:related(?:\s+[\w-]+){0,2}|more\s+(?:[\w'’-]+\s+){0,3}(?:stories|articles|reads|news|coverage)"
    r"|(?:read|see)\s+(?:more|also)|recommended(?:\s+[\w-]+){0,2}|you\s+(?:may|might)\s+also\s+like|further\s+reading"
    r"|most\s+(?:read|popular|viewed|shared)(?:\s+(?:in|on|from)\s+[\w'’&-]+(?:\s+[\w'’&-]+){0,3})?|explore\s+further"
    r"|(?:latest|popular|trending|more)\s+(?:in|from)\s+[\w'’&-]+(?:\s+[\w'’&-]+){0,3}"
    r"|(?:latest|recent|top|trending|popular|featured)\s+(?:[\w'’-]+\s+)?(?:news|stories|articles|posts"
    rf"|headlines|videos)|(?!(?:{_READ_MORE})\b)(?:{_READ_ALSO})|(?:{_RELATED}))\s*[:：]?$",
    re.IGNORECASE)
# The label over a story's tags ("Schlagwörter", "Теги", "标签", "태그") and over its topics
# ("Themen", "Темы", "主题", "주제"), in other languages than English: tags.py reads the lists they label.
TAG_WORDS = (r"schlagw[öo]rter|schlagworte|stichw[öo]rter|mots[-\s]cl[ée]s|etiquetas|palabras\s+clave|parole\s+chiave"
             r"|trefwoorden|теги|метки|tagi|etiketler|từ\s+khóa|标签|標籤|关键词|關鍵詞|关键字|關鍵字|タグ|キーワード|태그|키워드"
             r"|الوسوم|وسوم|كلمات\s+مفتاحية|תגיות|टैग|แท็ก|برچسب(?:\u200c?ها)?|کلیدواژه(?:\u200c?ها)?|ετικέτες|štítky"
             r"|címkék|etichete|taggar|avainsanat")
TOPIC_WORDS = (r"themen|sujets?|th[èe]mes|temas?|archivado\s+en|assuntos|t[óo]picos|argomenti|onderwerpen|темы|теми"
               r"|topik|témata|témy|tematy|konular|subiecte|témák|ämnen|emner|aiheet|θέματα|主题|主題|话题|話題|トピック|주제"
               r"|مواضيع|موضوعات|נושאים|विषय|หัวข้อ")
_TAGS = TAG_WORDS + r"|categoria|categoría|catégorie|kategorie|рубрика|カテゴリー?|分类|分類"
_SUBSCRIBE = (r"newsletter\s+abonnieren|(?:suscríbete|suscribete|assine|inscreva-se|abonnez-vous|inscrivez-vous|abonnieren\s+sie|iscriviti"
              r"|подпишитесь|подписывайтесь)\b.{0,160}"
              r"|(?:síguenos|siga-nos|suivez-nous|folgen\s+sie\s+uns|seguici)\b.{0,120}")
# A newsletter sign-up in any language: a short line with a word for the newsletter and one for signing up
# ("Iscriviti alla newsletter", "Bültenimize abone olun", "اشترك في نشرتنا البريدية"); with no figure or
# comma, which a story's sentence about a newsletter has ("The newsletter, sent to 4,000 readers, …").
_NEWSLETTER = (r"(?=.{0,80}$)(?![^\d,]*[\d,])(?=.*(?:newsletter|nieuwsbrief|nyhetsbrev|nyhedsbrev|nyhetsbrev|uutiskirje|рассылк|розсилк"
               r"|bülten|النشرة|نشرت|ニュースレター|뉴스레터|新闻通讯|电子报|電子報))"
               r"(?=.*(?:abonn|inscri|iscriv|zapisz|prenumer|подпиш|подпис|абон|abone|اشترك|suscr|regíst|registr|anmeld"
               r"|melden|sign\s+up|subscri|assin|inscrev|tilaa|登録|구독|订阅|訂閱)).*")
# A paywall's line in another language: continue reading once you subscribe, register or log in
# ("Abbonati per continuare a leggere", "Wykup dostęp, aby czytać dalej"), what is left to read
# ("Il vous reste 80% de cet article à lire", "残り1234文字"), members only ("有料会員限定").
_READ_ON_PAID = (r"(?=[^,]{0,120}$)(?=.*(?:continuare\s+a\s+leggere|seguir\s+leyendo|continuar\s+le[yn]do|weiterlesen"
                 r"|lees\s+verder|czytać\s+dalej|lire\s+la\s+suite|la\s+suite\s+est\s+réservée|läs\s+vidare"
                 r"|fortsæt\s+med\s+at\s+læse|jatka\s+lukemista|читать\s+дальше|devamını\s+okumak))"
                 r"(?=.*(?:abbon|suscr|regíst|registr|assin|abonn|wykup|zaloguj|logg|log\s*in|inicia\s+sesión|anmeld"
                 r"|inlog|subscri|подпис|abone|prenumer|tilaa)).*"
                 r"|(?=.{0,200}$)(?:il\s+vous\s+reste|pozostało|te\s+queda|ti\s+rimane)\s+(?:el\s+|il\s+)?\d{1,3}\s*%"
                 r"\s*(?:de\s+(?:cet\s+|l')\s*article|artykułu|del\s+art[íi]culo|dell'articolo|da\s+matéria).*"
                 r"|(?=.{0,40}$).*(?:この記事は.{0,12}(?:会員|購読者)限定|有料会員(?:限定|登録)|会員限定記事|有料記事|残り\d+文字|订阅后阅读|訂閱後閱讀|付费阅读|付費閱讀|登录后阅读"
                 r"|登录后查看|유료\s*회원|구독자\s*전용|로그인\s*후\s*.{0,20}(?:볼\s*수|이용|열람)).*")
# Chinese news pages' editor, source and original-title lines and their end
# and correction marks: "【责任编辑:张樵苏 】", "来源：新华网", "（完）".
_CJK_CHROME = (r"[【\[(（]?\s*(?:责任编辑|責任編輯|编辑|編輯|来源|來源|原标题|原標題|纠错|糾錯)\s*[:：]?\s*[^。！？]{0,30}[】\])）]?"
               r"|[(（]\s*(?:完|终|終)\s*[)）]")
# Comment policies: Arabic ("… التعليقات … إرشادات …", "الآراء الواردة أدناه لا تعبر عن رأي …").
_COMMENT_POLICY = (r"(?=.{0,400}$)(?=.*(?:التعليقات|تعليقات|مشاركاتك))(?=.*(?:إرشادات|سياسة|شروط)).*"
                   r"|(?=.{0,300}$).*(?:أدناه|التعليقات).*لا\s+تعبر\s+عن\s+رأي.*")
_COMMENTS = (r"comentarios?|comentários?|commentaires?|kommentare?|commenti|комментарии|отзывы|コメント|评论|評論"
             r"|réagir|reacties|komentarze|yorumlar|kommentarer|kommentit|komentáře|σχόλια|تعليقات|תגובות|댓글|ความคิดเห็น"
             r"|(?:deja|deixe|laissez|hinterlassen|lascia)\s.{0,40}(?:comentario|comentário|commentaire|kommentar|commento)\w*"
             r"|добавить\s+(?:отзыв|комментарий)")
# "Weiterlesen", "Lire la suite": a link to the rest of a story, or of another.
_CONTINUE = (r"(?:jetzt\s+)?weiterlesen|mehr\s+lesen|zum\s+(?:artikel|beitrag)|lire\s+la\s+suite"
             r"|seguir\s+leyendo|leer\s+más|continuar\s+lendo|leia\s+mais|continua\s+a\s+leggere|czytaj\s+dalej"
             r"|läs\s+mer|les\s+mer|læs\s+mere|lue\s+lisää|devamını\s+oku|lees\s+verder|читать\s+далее")
_TEXT_SIZE = (r"schriftgröße|taille\s+du\s+texte|taille\s+de\s+(?:police|caractères)"
              r"|tamaño\s+de\s+(?:letra|texto|fuente)|dimensione\s+del\s+(?:testo|carattere)|tamanho\s+da\s+(?:letra|fonte)"
              r"|tekstgrootte|rozmiar\s+(?:czcionki|tekstu)|размер\s+шрифта")
# Paywall lines: "Dieser Artikel ist nur für Abonnenten", "Cet article est réservé aux abonnés".
# The line must speak of itself ("this article"): a story about a service for subscribers stays.
_SUBSCRIBERS_ONLY = (r"(?=.{0,300}$)(?:dieser\s+(?:artikel|beitrag|inhalt)|diese[rs]?\s+(?:text|inhalt)|cet\s+article"
                     r"|ce\s+contenu|este\s+(?:contenido|artículo|conteúdo)|esta\s+(?:nota|noticia|matéria)"
                     r"|questo\s+(?:articolo|contenuto)|ten\s+(?:artykuł|materiał)|эта\s+статья|этот\s+материал)\b.{0,60}"
                     r"(?:abonnés|suscriptores|assinantes|abbonati|abonnenten|abonnentinnen|prenumerator\w*|подписчиков)\b.*"
                     r"|(?:jetzt|hier)\s+abonnieren\b.{0,80}"
                     r"|(?=.{0,200}$)(?:conte[úu]dos?|contenidos?|contenus?|contenuti?|inhalte?|artigos?|artículos?|articles?)"
                     r"\s+(?:exclusiv[oaes]*|exklusiv|réservés?|reservad[oa]s?|riservat[oi])\s+(?:para|pour|per|für|a|aux|ai)"
                     r"\s+(?:\w+\s+)?(?:assinantes|suscriptores|abonnés|abbonati|abonnenten)\b.*")
# Rights lines: "Tous droits réservés", "Riproduzione riservata ©".
_RIGHTS = (r"(?:(?:©|copyright|\(c\))\s*.{0,80}?)?(?:todos\s+los\s+derechos\s+reservados|tous\s+droits\s+réservés"
           r"|alle\s+rechte\s+vorbehalten|todos\s+os\s+direitos\s+reservados|tutti\s+i\s+diritti\s+riservati"
           r"|alle\s+rechten\s+voorbehouden|wszelkie\s+prawa\s+zastrzeżone|все\s+права\s+защищены"
           r"|(?:усі|всі)\s+права\s+захищен[оі]|tüm\s+hakları\s+saklıdır|všechna\s+práva\s+vyhrazena"
           r"|minden\s+jog\s+fenntartva|toate\s+drepturile\s+(?:sunt\s+)?rezervate|alla\s+rättigheter\s+förbehållna"
           r"|alle\s+rettigheder\s+forbeholdes|alle\s+rettigheter\s+reservert|kaikki\s+oikeudet\s+pidätetään"
           r"|με\s+την\s+επιφύλαξη\s+παντός\s+δικαιώματος|hak\s+cipta\s+dilindungi(?:\s+undang-undang)?"
           r"|bản\s+quyền\s+thuộc\s+về|สงวนลิขสิทธิ์|جميع\s+الحقوق\s+محفوظة|כל\s+הזכויות\s+שמורות"
           r"|(?:सर्वाधिकार|सभी\s+अधिकार)\s+सुरक्षित|(?:کلیه|تمامی)\s+حقوق.{0,60}محفوظ\s+است)\.?.{0,200}"
           r"|©?\s*riproduzione\s+riservata\s*©?")
# A screen reader's skip link: "Zum Inhalt springen", "Aller au contenu".
_SKIP_TO_CONTENT = (r"zum\s+(?:haupt)?inhalt\s+springen|(?:ir|saltar|pular)\s+(?:al|para\s+o)\s+conte[nú]\w*(?:\s+principal)?"
                    r"|(?:aller|passer)\s+au\s+contenu(?:\s+principal)?|(?:vai|salta)\s+al\s+contenuto(?:\s+principale)?"
                    r"|naar\s+(?:de\s+)?(?:hoofd)?inhoud|przejdź\s+do\s+(?:treści|zawartości)")
# Ad breaks inside a story ("Continua após a publicidade", "Haberin Devamı"),
# messenger-channel invitations, and copyright and reporter lines of Korean,
# Japanese and Chinese pages ("무단전재 및 재배포 금지", "홍길동 기자 hong@…").
_AFTER_AD = (r"haberin\s+devamı(?:\s+\S+){0,3}|(?:la\s+nota\s+|el\s+artículo\s+)?(?:continúa|sigue)\s+(?:después|debajo|tras)"
             r"\s+(?:de\s+)?(?:la\s+)?publicidad|continua\s+(?:após|depois\s+d[ae])\s+(?:a\s+)?publicidade"
             r"|(?:la\s+)?suite\s+(?:de\s+l'article\s+)?après\s+(?:cette\s+|la\s+)?publicité"
             r"|(?:weiter|weiterlesen|lesen\s+sie\s+weiter|(?:der\s+)?artikel\s+geht\s+weiter)\s+nach\s+der\s+(?:anzeige|werbung)"
             r"|(?:l'articolo\s+)?continua\s+(?:dopo|sotto)\s+(?:la\s+)?pubblicità")
_CHANNEL = (r"(?=.{0,200}$)(?!.*[\"“”«»])(?:receba|siga|entre|participe|junte-se|join|follow|get|subscribe|únete|unete|sigue"
            r"|simak|ikuti|gabung"
            r"|suivez|rejoignez|abonnez-vous|folgen\s+sie|abonnieren\s+sie|iscriviti|seguici|unisciti)\b"
            r".{0,120}\b(?:whatsapp|telegram|google\s+news)\b.{0,80}")
_CJK_RIGHTS = (r"(?=.{0,150}$).{0,80}(?:무단\s*전재|재배포\s*금지|無断転載|无断转载|版权所有|版權所有|未经.{0,12}(?:授权|许可).{0,12}转载"
               r"|转载请注明).{0,60}|(?=.{0,90}$)[가-힣]{2,4}\s*(?:기자|특파원)\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
               r"|(?=.{0,120}$)기사\s*제보.{0,100}")  # "기사제보 및 보도자료 press@…": where to send news tips
# Credits under an Indonesian or Spanish story: "Editor: Siti Aminah", "Pewarta: …", "Redactor: …".
_CREDIT = r"(?:editor|editora|redaktur|penyunting|pewarta|redactor|redaktor)\s*[:：]\s*[^\s.!?:]+(?:\s+[^\s.!?:]+){0,4}"
# "Facebook https://fb.me/site": a label of a word or three and a profile's address. A handle
# alone ("Instagram: @name") stays: in a list of people to follow, the handles are the story.
_SOCIAL_PROFILE = (r"(?=.{0,120}$)[^\s:=]+(?:\s+[^\s:=]+){0,2}\s*[:=]?\s*https?://(?:www\.)?(?:facebook\.com|fb\.me"
                   r"|twitter\.com|x\.com|instagram\.com|t\.me|youtube\.com|line\.me|tiktok\.com)/\S*")
# "2 hours ago", "hace una hora", "il y a 3 jours", "vor einer Stunde": a time relative to when the page was read.
RELATIVE_TIME = re.compile(
    r"\b(?:\d+|an?|one)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|days?|weeks?|months?|years?)\s+ago\b"
    r"|\bhace\s+(?:\d+|una?)\s+(?:segundos?|minutos?|horas?|d[ií]as?|semanas?|meses|mes|años?)\b"
    r"|\bil\s+y\s+a\s+(?:\d+|une?)\s+(?:secondes?|minutes?|heures?|jours?|semaines?|mois|ans?)\b"
    r"|\bvor\s+(?:\d+|eine[mr]?)\s+(?:Sekunden?|Minuten?|Stunden?|Tag(?:en)?|Wochen?|Monat(?:en)?|Jahr(?:en)?)\b",
    re.IGNORECASE)
OTHER_LANGUAGE_LABELS = re.compile(
    # "▶ 관련기사: …", "■ Lire aussi": a bullet before the label.
    rf"""^(?:[▶►▷■●◆☞]\s*+)?(?:
        (?:{_AD}) | (?:{_SHARE}) | (?:{_COMMENTS}) | (?:{_CJK_CHROME}) | (?:{_COMMENT_POLICY})
      | (?:{_READ_ALSO}|{_RELATED})\s*(?:[:：]\s*.{{0,160}})?
      | (?:{_TAGS})\s*[:：]\s*[^.!?。]{{0,200}}
      | (?:{_SUBSCRIBE}) | (?:{_NEWSLETTER}) | (?:{_READ_ON_PAID})
      | .{{0,40}}\b(?:publicado|publicada|publié|publiée|veröffentlicht|pubblicato|опубликовано)\s+(?:por|par|von|da|em|le|am|il)\s*:.{{0,160}}
      | (?:{_CONTINUE}) | (?:{_TEXT_SIZE})\b.{{0,40}} | (?:{_SUBSCRIBERS_ONLY}) | (?:{_SKIP_TO_CONTENT})
      | (?:{_AFTER_AD}) | (?:{_CHANNEL}) | (?:{_CJK_RIGHTS}) | (?:{_SOCIAL_PROFILE}) | (?:{_CREDIT})
      | (?:{_RIGHTS})
      # a relative time alone, perhaps labelled: "2 hours ago", "Actualizado hace 5 minutos"
      | (?:(?:published|updated|posted|publicado|actualizado|atualizado|publié|mis\s+à\s+jour|veröffentlicht
          |aktualisiert|pubblicato|aggiornato)\s*:?\s*)?(?:{RELATIVE_TIME.pattern})
    )\s*[.!:：]?$""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
