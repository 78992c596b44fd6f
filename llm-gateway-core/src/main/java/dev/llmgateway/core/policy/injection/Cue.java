package dev.llmgateway.core.policy.injection;

/**
 * The word classes the rules are written in, each with its keywords in English, German, French,
 * Spanish, Italian, Portuguese, Dutch, Polish, Russian, Chinese, Japanese, Korean and Turkish.
 * Keywords are folded like the text ({@link TextFold}: accents, case and dashes do not matter); a
 * trailing {@code *} marks a stem. A cue alone proves little; {@link Rules} scores cues that occur
 * near each other.
 */
enum Cue {
  /** A verb that sets instructions aside: ignore, disregard, forget, override. */
  IGNORE(
      "ignor*", "disregard*", "forget*", "forgot*", "overrid*", "overrule*", "bypass*",
      "pay no attention to", "do not follow", "don't follow", "stop following", "no longer follow",
      "discard*", "set aside", "throw out", "abandon*", "neglect*", "skip all", "skip your",
      "vergiss", "vergesse*", "vergessen", "missacht*", "befolge nicht", "nicht mehr befolgen",
      "nicht befolgen", "übergeh*", "verwirf",
      "oubli*", "ne tiens pas compte", "ne tenez pas compte", "ne tiens plus compte",
      "fais abstraction", "faites abstraction", "ne suis pas", "ne suivez pas", "ne suis plus",
      "olvid*", "haz caso omiso", "hagan caso omiso", "no hagas caso", "no sigas", "omite",
      "descarta", "pasa por alto",
      "dimentic*", "non tenere conto", "non considerare", "non seguire", "tralascia",
      "esquec*", "desconsider*", "não siga", "deixe de lado",
      "negeer*", "negere*", "vergeet", "volg niet", "niet opvolgen",
      "ignoruj*", "zignoruj*", "zapomnij", "zapomnie*", "nie zwracaj uwagi", "nie stosuj",
      "pomiń",
      "игнорир*", "проигнорир*", "забудь", "забуд*", "не обращай внимания", "не следуй",
      "отбрось",
      "忽略", "无视", "忘记", "忘掉", "不要理会", "忽视", "不要遵守", "不再遵守", "抛开",
      "無視", "忘れ", "従わな",
      "무시", "잊어", "잊고", "따르지 마", "따르지 말",
      "yok say*", "yoksay*", "görmezden gel*", "unut*", "dikkate alma"),

  /** What came before: previous, prior, above, all. */
  PRIOR(
      "previous*", "prior", "above", "earlier", "preceding", "foregoing", "before", "so far",
      "until now", "up to now", "initial*", "original*", "all", "every", "everything",
      "vorherig*", "bisherig*", "vorig*", "obig*", "früher*", "vorangegangen*", "alle", "davor",
      "ursprünglich*",
      "précédent*", "antérieur*", "ci-dessus", "toutes les", "tous les", "plus haut",
      "anterior*", "previa*", "previo*", "de arriba", "todas las", "todos los", "mencionad*",
      "precedent*", "sopra", "tutte le", "tutti i",
      "acima", "todas as", "todos os",
      "eerder*", "bovenstaand*", "voorgaand*",
      "poprzedni*", "wcześniejsz*", "powyższ*", "wszystk*", "dotychczasow*",
      "предыдущ*", "прежн*", "вышеуказанн*", "выше", "все", "всех",
      "之前", "以前", "先前", "上面", "上述", "前面", "所有", "原来", "原先",
      "前の", "これまで", "上記", "先ほど", "すべて", "全て",
      "이전", "앞의", "위의", "지금까지", "기존", "모든",
      "önceki", "yukarıdaki", "daha önce", "tüm", "bütün"),

  /** Instructions and rules. */
  INSTR(
      "instruc*", "directive*", "directions", "rules", "guideline*", "prompt", "prompts",
      "constraint*", "restriction*", "guardrail*", "programming", "orders", "commands",
      "what you were told", "you were told", "you were given", "you have been told",
      "you've been told", "system message",
      "anweisung*", "instruktion*", "regel*", "vorgabe*", "befehl*", "richtlinie*",
      "consigne*", "règle*",
      "regla*", "indicacion*", "directriz*", "directrices", "norma*", "órdenes",
      "istruzion*", "regol*", "direttiv*", "indicazion*",
      "regra*", "diretriz*", "diretrizes", "ordens",
      "richtlijn*", "opdracht*", "aanwijzing*",
      "instrukcj*", "polecen*", "zasad*", "reguł*", "wytyczn*",
      "инструкци*", "указани*", "правил*", "команд*", "директив*",
      "指令", "指示", "规则", "提示", "命令", "设定",
      "ルール", "規則", "設定", "プロンプト",
      "지시", "명령", "규칙", "지침", "설정", "프롬프트",
      "talimat*", "kural*", "yönerge*", "komut*"),

  /** Words that address the model's own instructions: your, you were. */
  YOUR(
      "your", "you were", "you've been", "you have been",
      "dein*", "dir", "tes", "ton", "vos", "votre", "tus", "tue", "tuoi", "suas", "seu", "seus",
      "je", "jouw", "twoje", "twoich", "swoje", "twoj", "swoj", "твои", "свои", "тебе",
      "你的", "あなたの", "너의", "네가", "당신의", "sana"),

  /** A verb that asks for text to be shown: reveal, print, repeat. */
  REVEAL(
      "reveal*", "show*", "print*", "repeat*", "output*", "tell me", "display*", "dump*",
      "leak*", "spell out", "write out", "write down", "recite*", "what is your", "what are your",
      "what were your", "what's your", "give me", "expose*", "disclose*", "echo",
      "zeig*", "gib", "gebe", "verrat*", "wiederhol*", "nenne*", "enthüll*", "druck*",
      "ausgeb*", "sag mir", "offenbar*",
      "revel*", "montr*", "affich*", "répèt*", "répét*", "donne-moi", "dis-moi", "donnez-moi",
      "dites-moi", "imprim*", "divulgu*",
      "muestr*", "mostrar*", "enseña*", "repit*", "dime", "dame", "divulga*",
      "rivel*", "mostr*", "ripet*", "stampa*", "dimmi", "divulg*",
      "exib*", "diga", "me diga",
      "toon", "laat zien", "laat me", "herhaal*", "onthul*", "geef", "vertel",
      "pokaż*", "ujawni*", "powtórz*", "wypisz*", "podaj*", "wyświetl*", "powiedz",
      "покаж*", "раскр*", "повтор*", "вывед*", "напечата*", "скажи", "озвучь*",
      "显示", "透露", "泄露", "输出", "告诉我", "重复", "打印", "展示", "给我看", "说出", "列出",
      "表示", "教えて", "見せて", "出力", "繰り返", "開示", "公開", "書き出",
      "보여", "알려", "출력", "공개", "반복", "말해",
      "göster*", "açıkla*", "tekrarla*", "yazdır*", "söyle*", "ifşa*"),

  /** The model's own prompt, or what stands above the user's text. */
  YOUR_PROMPT(
      "your system prompt", "your prompt", "your instructions", "your initial", "your original",
      "your hidden", "your secret", "your confidential", "your system message",
      "your configuration", "your developer", "your pre-prompt", "your guidelines",
      "instructions you were given", "instructions you received", "everything above",
      "the text above", "above this line", "the words above", "starting with 'you are",
      "starting with \"you are", "developer message", "the system prompt", "the initial prompt",
      "deinen systemprompt", "dein systemprompt", "deine anweisungen", "deine instruktionen",
      "deinen prompt", "deine vorgaben", "deine systemanweisung*",
      "ton prompt", "ton invite", "tes instructions", "vos instructions", "votre prompt",
      "tes consignes", "vos consignes",
      "tu prompt", "tus instrucciones", "sus instrucciones", "tus indicaciones",
      "il tuo prompt", "tuo prompt", "le tue istruzioni", "tue istruzioni",
      "seu prompt", "suas instruções", "teu prompt", "tuas instruções",
      "je systeemprompt", "jouw systeemprompt", "je prompt", "jouw prompt", "je instructies",
      "jouw instructies",
      "swój prompt", "twój prompt", "twoje instrukcje", "swoje instrukcje", "twoich instrukcji",
      "свой системный", "твой системный", "свой промпт", "твой промпт", "твои инструкции",
      "свои инструкции", "твои указания",
      "你的系统", "你的指令", "你的提示", "你收到的",
      "あなたのシステム", "あなたの指示", "あなたのプロンプト", "与えられた",
      "너의 시스템", "너의 지시", "당신의 시스템", "당신의 지시", "네 시스템", "네가 받은",
      "istemini", "talimatların*", "sana verilen"),

  /** Hidden, secret, original: qualifiers of instructions nobody should see. */
  SECRET(
      "hidden", "secret*", "confidential", "internal instructions", "initial", "original",
      "versteckt*", "verborgen*", "geheim*", "ursprünglich*", "anfänglich*",
      "caché*", "cachée*", "initiales", "d'origine",
      "oculta*", "oculto*", "inicial*", "originales",
      "nascost*", "segret*", "iniziali", "originali",
      "iniciais", "originais",
      "oorspronkelijk*",
      "ukryt*", "tajn*", "początkow*", "oryginaln*",
      "скрыт*", "секретн*", "исходн*", "первоначальн*",
      "隐藏", "秘密", "初始", "原始",
      "隠された", "隠し", "初期", "元の",
      "숨겨진", "숨긴", "비밀", "초기", "원래",
      "gizli", "orijinal*"),

  /** A system prompt by name. */
  SYSTEM_PROMPT(
      "system prompt", "system message", "systemprompt", "system instructions", "sys prompt",
      "developer prompt", "pre-prompt", "meta prompt",
      "systemanweisung*", "systemnachricht*",
      "prompt système", "invite système", "message système", "instructions système",
      "prompt del sistema", "mensaje del sistema", "instrucciones del sistema",
      "prompt di sistema", "messaggio di sistema", "istruzioni di sistema",
      "prompt do sistema", "mensagem do sistema", "instruções do sistema",
      "systeemprompt", "systeem prompt", "systeeminstructie*", "systeembericht*",
      "prompt systemow*", "instrukcje systemow*", "komunikat systemow*",
      "системный промпт", "системные инструкции", "системное сообщение", "системную подсказку",
      "系统提示", "系统指令", "系统消息",
      "システムプロンプト", "システムメッセージ",
      "시스템 프롬프트", "시스템 메시지",
      "sistem istem*", "sistem mesaj*", "sistem talimat*"),

  /** Verbatim, word for word. */
  VERBATIM(
      "verbatim", "word for word", "exactly as written", "character for character",
      "wortwörtlich", "wort für wort", "wörtlich",
      "mot pour mot", "mot à mot", "textuellement", "intégralement",
      "palabra por palabra", "textualmente",
      "parola per parola", "testualmente", "alla lettera",
      "palavra por palavra", "na íntegra",
      "woord voor woord", "letterlijk",
      "słowo w słowo", "dosłownie",
      "дословно", "слово в слово",
      "逐字", "原文", "一字不差",
      "そのまま", "一字一句",
      "그대로", "원문",
      "kelimesi kelimesine", "aynen"),

  /** Role-play framing: you are now, pretend, act as. */
  ROLE(
      "you are now", "you're now", "from now on you", "from now on, you", "pretend*", "act as",
      "acting as", "roleplay*", "role play*", "imagine you are", "imagine you're",
      "you will now act", "simulate*", "behave as", "stay in character", "you are no longer",
      "let's play a game", "you are going to act", "you will act", "play the role",
      "respond as",
      "du bist jetzt", "du bist nun", "ab jetzt bist du", "tu so", "tue so", "stell dir vor",
      "spiel die rolle", "verhalte dich wie", "du bist ab sofort",
      "tu es maintenant", "vous êtes maintenant", "fais semblant", "faites semblant",
      "joue le rôle", "imagine que tu", "agis comme", "comporte-toi comme",
      "ahora eres", "finge", "finja", "actúa como", "haz de cuenta", "imagina que eres",
      "a partir de ahora eres",
      "ora sei", "adesso sei", "fingi", "fai finta", "comportati come", "immagina di essere",
      "interpreta il ruolo", "d'ora in poi sei",
      "agora você é", "aja como", "faça de conta", "imagine que você",
      "je bent nu", "jij bent nu", "doe alsof", "gedraag je als", "speel de rol",
      "jesteś teraz", "teraz jesteś", "udawaj", "zachowuj się jak", "wciel się",
      "теперь ты", "ты теперь", "притворись", "притворяйся", "представь что ты", "веди себя как",
      "сыграй роль", "действуй как",
      "你现在是", "现在你是", "假装", "扮演", "从现在开始你", "角色扮演",
      "あなたは今", "今からあなたは", "ふりを", "演じ", "なりきっ", "ロールプレイ",
      "이제부터 너는", "이제 너는", "너는 이제", "당신은 이제", "척해", "척하", "역할을", "연기해",
      "artık sen", "sen artık", "gibi davran", "rol yap", "rolüne gir", "farz et"),

  /** The text tells the model what it is. */
  YOU_ARE("you are", "you're", "you will be", "you have", "you can", "you must"),

  /** Freedom from rules: no restrictions, unfiltered, never refuses. */
  NO_RULES(
      "no rules", "without rules", "no restrictions", "without restrictions",
      "without any restrictions", "no restriction", "unrestricted", "unfiltered", "uncensored",
      "no limits", "no limitations", "without limits", "without limitations", "no filters",
      "without filters", "without any filters", "no guidelines", "no content policy",
      "no ethical", "no ethics", "no morals", "amoral", "free of all", "free from all",
      "not bound by", "never refuses", "never refuse", "cannot refuse", "can't refuse",
      "without censorship", "no boundaries", "break free", "broken free", "without any limits",
      "without any rules", "has no rules", "have no rules", "no safety", "safety off",
      "disable your safety", "without safety", "restrictions are lifted", "restrictions lifted",
      "no policies", "no longer bound", "no restrictions whatsoever",
      "no limitations whatsoever", "has no restrictions",
      "keine regeln", "ohne regeln", "keine einschränkungen", "ohne einschränkungen",
      "ohne jegliche", "uneingeschränkt*", "ohne filter", "keine filter", "keine grenzen",
      "ohne grenzen", "ohne zensur", "unzensiert*", "keine richtlinien",
      "sans règles", "aucune règle", "sans restrictions", "sans restriction",
      "aucune restriction", "sans limites", "sans limite", "sans filtre", "sans censure",
      "ni restrictions",
      "sin reglas", "sin restricciones", "ninguna restricción", "sin límites", "sin filtros",
      "sin censura", "no tienes restricciones", "ni restricciones",
      "senza regole", "nessuna regola", "senza restrizioni", "nessuna restrizione",
      "senza limiti", "senza filtri", "senza censura", "non avere restrizioni",
      "sem regras", "sem restrições", "sem limites", "sem filtros", "sem censura",
      "nenhuma restrição", "não tem restrições",
      "zonder regels", "geen regels", "zonder beperkingen", "geen beperkingen",
      "zonder filters", "zonder censuur", "geen grenzen",
      "bez zasad", "bez reguł", "bez ograniczeń", "żadnych ograniczeń", "bez filtrów",
      "bez cenzury",
      "без правил", "без ограничений", "нет ограничений", "без фильтров", "без цензуры",
      "никаких ограничений",
      "没有任何限制", "没有限制", "不受限制", "没有规则", "无限制", "不受任何", "没有过滤", "无审查",
      "不受约束",
      "制限のない", "制限なし", "制限がない", "ルールのない", "ルールなし", "ルールはありません",
      "規則なし", "検閲なし", "フィルターなし", "制限はありません",
      "제한 없는", "제한이 없는", "규칙이 없는", "아무런 제한", "검열 없는", "필터 없는", "규칙은 없어",
      "제한 없이",
      "kuralsız*", "hiçbir kural*", "kısıtlama olmadan", "kısıtlamasız*", "hiçbir kısıtlama*",
      "sınırsız*", "filtresiz*", "sansürsüz*"),

  /** A mode that switches safety off by name. */
  DEV_MODE(
      "developer mode", "dev mode", "dan mode", "god mode", "jailbreak mode", "sudo mode",
      "admin mode", "debug mode", "maintenance mode", "unrestricted mode", "evil mode",
      "entwicklermodus", "mode développeur", "modo desarrollador", "modalità sviluppatore",
      "modo de desenvolvedor", "ontwikkelaarsmodus", "tryb dewelopera", "режим разработчика",
      "开发者模式", "開発者モード", "개발자 모드", "geliştirici modu"),

  /** Jailbreak vocabulary. */
  JAILBREAK("do anything now", "jailbreak*", "jailbroken", "evil confidant", "anti-dan"),

  /** Names of well-known jailbreak personas (alone they are just names). */
  PERSONA("dan", "stan", "dude", "aim", "mongo tom"),

  /** Chat-template tokens that open a system turn. */
  TEMPLATE_SYSTEM(
      "<|im_start|>system", "<|im_start|> system", "<<sys>>", "### system", "<|system|>",
      "<|start_header_id|>system", "<system>", "</system>", "[system]", "<start_of_turn>system"),

  /** Other chat-template and delimiter tokens. */
  TEMPLATE(
      "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<|start_header_id|>",
      "<|end_header_id|>", "[inst]", "[/inst]", "<</sys>>", "</s><s>", "<start_of_turn>",
      "<end_of_turn>", "<|user|>", "<|assistant|>", "### instruction", "### user",
      "### assistant", "### response", "<|begin_of_text|>", "<|endofprompt|>"),

  /** New instructions announced. */
  NEW_TASK(
      "new instructions", "new instruction", "your new task", "new task", "updated instructions",
      "new system prompt", "from now on", "new rules", "new directive",
      "neue anweisungen", "neue aufgabe", "ab jetzt", "von nun an",
      "nouvelles instructions", "nouvelle tâche", "à partir de maintenant", "désormais",
      "nuevas instrucciones", "nueva tarea", "a partir de ahora",
      "nuove istruzioni", "nuovo compito", "d'ora in poi",
      "novas instruções", "nova tarefa", "a partir de agora",
      "nieuwe instructies", "nieuwe taak", "vanaf nu",
      "nowe instrukcje", "nowe zadanie", "od teraz",
      "новые инструкции", "новая задача", "с этого момента",
      "新的指令", "新任务", "从现在开始",
      "新しい指示", "今から",
      "새로운 지시", "이제부터",
      "yeni talimat*", "şu andan itibaren", "bundan sonra"),

  /** A text speaking to the AI that reads it: note to the AI, when you read this. */
  ADDRESS(
      "dear ai", "hey ai", "note to ai", "note to the ai", "attention ai", "to the ai",
      "for the ai", "to any ai", "if you are an ai", "if you're an ai", "ai reading",
      "ai summarising", "ai summarizing", "ai models reading", "when you read this",
      "if you read this", "whoever reads this", "reading this page", "reading this email",
      "reading this e-mail", "instruction for the ai", "instructions for the ai",
      "message for the ai", "note to the assistant", "dear assistant", "hey assistant",
      "assistant,", "ai assistant:", "ai agent:", "assistant:", "ai:", "llm:", "attention llm",
      "the assistant must", "assistant must", "to the assistant", "for the assistant",
      "hey copilot", "copilot,", "chatgpt,", "dear ai,",
      "email assistant", "e-mail assistant", "if you are an llm", "if you are a language model",
      "an die ki", "liebe ki", "hinweis für die ki", "hinweis an die ki", "ki-assistent:",
      "à l'ia", "chère ia", "note pour l'ia", "assistant ia:",
      "a la ia", "querida ia", "nota para la ia", "asistente de ia:",
      "all'ia", "cara ia", "nota per l'ia", "assistente ia:",
      "para a ia", "nota para a ia", "assistente de ia:",
      "aan de ai", "beste ai", "notitie voor de ai",
      "do ai", "drogie ai", "notatka dla ai",
      "для ии", "дорогой ии", "внимание ии",
      "致ai", "给ai", "ai助手：", "ai助手:",
      "aiへ", "aiアシスタントへ",
      "ai에게", "ai 어시스턴트에게",
      "yapay zekaya", "sevgili yapay zeka"),

  /** A mention of an AI system (not an address by itself). */
  AI_MENTION(
      "ai assistant", "ai assistants", "ai agent", "ai agents", "ai model", "ai models", "llm",
      "llms", "language model", "chatbot", "copilot", "assistant",
      "ki-assistent*", "assistant ia", "asistente de ia", "assistente ia", "ai-assistent*",
      "asystent ai", "ии-ассистент*", "ai助手", "人工智能助手", "aiアシスタント", "ai 어시스턴트",
      "인공지능 비서", "yapay zeka asistan*"),

  /** An imperative a planted instruction gives. */
  COMMAND(
      "must now", "you must", "must immediately", "immediately", "do it now", "send", "forward",
      "transfer", "delete", "reply to all", "reply with", "visit", "click", "tell the user",
      "tell them", "inform the user", "say that", "rate this", "recommend", "mark it", "move",
      "share", "upload", "include", "before continuing", "stop what you are doing", "output",
      "respond", "approve", "execute", "run", "instead", "do not", "don't", "make sure", "answer",
      "reply", "write", "say", "tell", "give", "list", "print", "rate", "call", "buy", "ask",
      "sende", "schicke", "leite", "envoie", "transfère", "envía", "reenvía", "invia", "inoltra",
      "envie", "encaminhe", "stuur", "wyślij", "перешли", "отправь", "发送", "转发", "送信",
      "転送", "보내", "전달", "gönder*"),

  /** Keeping the user in the dark. */
  CONCEAL(
      "do not mention", "don't mention", "without telling", "don't tell", "do not tell",
      "secretly", "without asking", "do not inform", "don't inform", "not mention it",
      "delete this message", "never reveal that", "keep this secret", "without the user knowing",
      "do not let the user know"),

  /** What an exfiltrating instruction goes after. */
  SENSITIVE(
      "conversation history", "chat history", "password*", "api key*", "credentials",
      "id_rsa", ".ssh", "private key", "contacts", "inbox", "calendar", "e-mail addresses",
      "email addresses", "customer data", "credit card*", "session token*", "cookies",
      "access token*", "last ten e-mails", "every other mail"),

  /** Decoding asked for. */
  DECODE("decode*", "base64", "hex", "rot13", "the following", "this string", "encoded"),

  /** Following what is decoded. */
  FOLLOW(
      "follow it", "follow them", "follow the instructions", "do what it says", "execute*",
      "obey*", "carry out", "comply", "run the following", "act on it");

  private final String[] keywords;

  Cue(String... keywords) {
    this.keywords = keywords;
  }

  String[] keywords() {
    return keywords;
  }
}
