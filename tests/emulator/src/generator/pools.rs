//! Word pools for the feed generator: real Discogs genres/styles, labels,
//! artists and titles (with diacritics and non-Latin scripts so consumers'
//! search folding gets exercised), products and books.

/// A Discogs genre and some of its real styles.
pub struct Genre {
    pub name: &'static str,
    pub styles: &'static [&'static str],
}

pub const GENRES: &[Genre] = &[
    Genre {
        name: "Electronic",
        styles: &[
            "Techno",
            "House",
            "Ambient",
            "Deep House",
            "Minimal",
            "Electro",
            "IDM",
            "Downtempo",
            "Drum n Bass",
            "Dubstep",
            "Trance",
            "Synth-pop",
            "Experimental",
            "Trip Hop",
            "Acid House",
            "Dub Techno",
        ],
    },
    Genre {
        name: "Rock",
        styles: &[
            "Punk",
            "Indie Rock",
            "Post-Punk",
            "Alternative Rock",
            "Shoegaze",
            "Krautrock",
            "Hard Rock",
            "Heavy Metal",
            "Psychedelic Rock",
            "Garage Rock",
            "New Wave",
            "Post Rock",
            "Noise",
            "Prog Rock",
            "Hardcore",
        ],
    },
    Genre {
        name: "Jazz",
        styles: &[
            "Hard Bop",
            "Bop",
            "Modal",
            "Free Jazz",
            "Cool Jazz",
            "Soul-Jazz",
            "Spiritual Jazz",
            "Fusion",
            "Post Bop",
            "Latin Jazz",
            "Contemporary Jazz",
        ],
    },
    Genre {
        name: "Hip Hop",
        styles: &[
            "Boom Bap",
            "Conscious",
            "Instrumental",
            "Jazzy Hip-Hop",
            "Gangsta",
            "Trap",
            "Abstract",
            "Hardcore Hip-Hop",
            "Cloud Rap",
        ],
    },
    Genre {
        name: "Funk / Soul",
        styles: &[
            "Soul",
            "Funk",
            "Disco",
            "Rhythm & Blues",
            "Northern Soul",
            "Neo Soul",
            "Afrobeat",
            "Gospel",
            "Boogie",
        ],
    },
    Genre {
        name: "Reggae",
        styles: &[
            "Dub",
            "Roots Reggae",
            "Rocksteady",
            "Ska",
            "Dancehall",
            "Lovers Rock",
        ],
    },
    Genre {
        name: "Classical",
        styles: &[
            "Romantic",
            "Baroque",
            "Modern",
            "Contemporary",
            "Minimalism",
            "Neo-Classical",
            "Opera",
            "Impressionist",
        ],
    },
    Genre {
        name: "Pop",
        styles: &[
            "Chanson",
            "Indie Pop",
            "Synth-pop",
            "Ballad",
            "Europop",
            "Vocal",
            "City Pop",
            "J-pop",
            "Dream Pop",
        ],
    },
    Genre {
        name: "Folk, World, & Country",
        styles: &[
            "Folk",
            "African",
            "Country",
            "Bluegrass",
            "Fado",
            "Flamenco",
            "Celtic",
            "Desert Blues",
            "Anatolian Rock",
            "Mizrahi",
            "Highlife",
        ],
    },
    Genre {
        name: "Latin",
        styles: &[
            "Bossa Nova",
            "MPB",
            "Salsa",
            "Cumbia",
            "Tango",
            "Latin Rock",
            "Samba",
            "Tropicália",
        ],
    },
    Genre {
        name: "Blues",
        styles: &[
            "Delta Blues",
            "Chicago Blues",
            "Electric Blues",
            "Country Blues",
        ],
    },
    Genre {
        name: "Stage & Screen",
        styles: &["Soundtrack", "Score", "Theme", "Musical"],
    },
    Genre {
        name: "Non-Music",
        styles: &["Field Recording", "Spoken Word", "Poetry", "Interview"],
    },
];

/// Index into [`GENRES`] by name (used by the artist table).
pub fn genre_index(name: &str) -> usize {
    GENRES.iter().position(|g| g.name == name).unwrap_or(0)
}

/// A real artist with a home genre and some of their releases. Pairings are
/// approximate: this is test data, not a discography.
pub struct Artist {
    pub name: &'static str,
    pub genre: &'static str,
    pub titles: &'static [&'static str],
}

pub const ARTISTS: &[Artist] = &[
    Artist {
        name: "Björk",
        genre: "Electronic",
        titles: &[
            "Debut",
            "Post",
            "Homogenic",
            "Vespertine",
            "Medúlla",
            "Volta",
            "Biophilia",
            "Vulnicura",
            "Utopia",
            "Fossora",
        ],
    },
    Artist {
        name: "Sigur Rós",
        genre: "Rock",
        titles: &[
            "Ágætis byrjun",
            "( )",
            "Takk...",
            "Með suð í eyrum við spilum endalaust",
            "Kveikur",
            "Von",
        ],
    },
    Artist {
        name: "Motörhead",
        genre: "Rock",
        titles: &[
            "Ace of Spades",
            "Overkill",
            "Bomber",
            "Iron Fist",
            "Orgasmatron",
            "No Sleep 'til Hammersmith",
        ],
    },
    Artist {
        name: "Mötley Crüe",
        genre: "Rock",
        titles: &[
            "Dr. Feelgood",
            "Shout at the Devil",
            "Too Fast for Love",
            "Theatre of Pain",
        ],
    },
    Artist {
        name: "Beyoncé",
        genre: "Funk / Soul",
        titles: &[
            "Lemonade",
            "Beyoncé",
            "Renaissance",
            "Cowboy Carter",
            "4",
            "Dangerously in Love",
        ],
    },
    Artist {
        name: "Tiësto",
        genre: "Electronic",
        titles: &[
            "In My Memory",
            "Just Be",
            "Elements of Life",
            "In Search of Sunrise",
        ],
    },
    Artist {
        name: "Røyksopp",
        genre: "Electronic",
        titles: &[
            "Melody A.M.",
            "The Understanding",
            "Junior",
            "Senior",
            "The Inevitable End",
        ],
    },
    Artist {
        name: "Amadou & Mariam",
        genre: "Folk, World, & Country",
        titles: &[
            "Dimanche à Bamako",
            "Welcome to Mali",
            "Folila",
            "La Confusion",
        ],
    },
    Artist {
        name: "Zoë Keating",
        genre: "Classical",
        titles: &[
            "One Cello x 16: Natoma",
            "Into the Trees",
            "Snowmelt",
            "Live at Lobero",
        ],
    },
    Artist {
        name: "Antonín Dvořák",
        genre: "Classical",
        titles: &[
            "Symphony No. 9 \"From the New World\"",
            "Slavonic Dances",
            "Cello Concerto in B Minor",
            "Rusalka",
            "Stabat Mater",
        ],
    },
    Artist {
        name: "Édith Piaf",
        genre: "Pop",
        titles: &[
            "La Vie en rose",
            "Non, je ne regrette rien",
            "Hymne à l'amour",
            "À l'Olympia 1961",
            "Padam... Padam...",
        ],
    },
    Artist {
        name: "Café Tacvba",
        genre: "Latin",
        titles: &[
            "Re",
            "Café Tacvba",
            "Avalancha de éxitos",
            "Cuatro Caminos",
            "Sino",
        ],
    },
    Artist {
        name: "坂本龍一",
        genre: "Electronic",
        titles: &[
            "戦場のメリークリスマス",
            "千のナイフ",
            "B-2 Unit",
            "音楽図鑑",
            "async",
            "12",
        ],
    },
    Artist {
        name: "Кино",
        genre: "Rock",
        titles: &[
            "Группа крови",
            "Звезда по имени Солнце",
            "Чёрный альбом",
            "45",
            "Начальник Камчатки",
        ],
    },
    Artist {
        name: "Fairuz / فيروز",
        genre: "Folk, World, & Country",
        titles: &[
            "Wahdon / وحدن",
            "Kifak Inta / كيفك إنت",
            "Maarifti Feek / معرفتي فيك",
            "Eh Fi Amal / إيه في أمل",
        ],
    },
    Artist {
        name: "Ólafur Arnalds",
        genre: "Classical",
        titles: &[
            "Eulogy for Evolution",
            "...And They Have Escaped the Weight of Darkness",
            "re:member",
            "some kind of peace",
            "Living Room Songs",
        ],
    },
    Artist {
        name: "Hüsker Dü",
        genre: "Rock",
        titles: &[
            "Zen Arcade",
            "New Day Rising",
            "Flip Your Wig",
            "Candy Apple Grey",
            "Warehouse: Songs and Stories",
        ],
    },
    Artist {
        name: "Arvo Pärt",
        genre: "Classical",
        titles: &[
            "Tabula Rasa",
            "Alina",
            "Te Deum",
            "Fratres",
            "Spiegel im Spiegel",
        ],
    },
    Artist {
        name: "Henryk Górecki",
        genre: "Classical",
        titles: &["Symphony No. 3", "Beatus Vir", "Miserere"],
    },
    Artist {
        name: "Cesária Évora",
        genre: "Folk, World, & Country",
        titles: &[
            "Miss Perfumado",
            "Café Atlantico",
            "São Vicente di Longe",
            "Voz d'Amor",
        ],
    },
    Artist {
        name: "Rosalía",
        genre: "Latin",
        titles: &["El Mal Querer", "Motomami", "Los Ángeles", "Lux"],
    },
    Artist {
        name: "Altın Gün",
        genre: "Folk, World, & Country",
        titles: &["On", "Gece", "Yol", "Âlem"],
    },
    Artist {
        name: "Selda Bağcan",
        genre: "Folk, World, & Country",
        titles: &["Selda", "Türkülerimiz", "Dünya Hali"],
    },
    Artist {
        name: "Einstürzende Neubauten",
        genre: "Rock",
        titles: &[
            "Kollaps",
            "Halber Mensch",
            "Zeichnungen des Patienten O.T.",
            "Silence Is Sexy",
        ],
    },
    Artist {
        name: "Can",
        genre: "Rock",
        titles: &[
            "Tago Mago",
            "Ege Bamyası",
            "Future Days",
            "Monster Movie",
            "Soon Over Babaluma",
        ],
    },
    Artist {
        name: "Neu!",
        genre: "Rock",
        titles: &["Neu!", "Neu! 2", "Neu! 75"],
    },
    Artist {
        name: "Kraftwerk",
        genre: "Electronic",
        titles: &[
            "Trans-Europa Express",
            "Die Mensch·Maschine",
            "Computerwelt",
            "Autobahn",
            "Radio-Aktivität",
        ],
    },
    Artist {
        name: "Serge Gainsbourg",
        genre: "Pop",
        titles: &[
            "Histoire de Melody Nelson",
            "Initials B.B.",
            "Aux armes et cætera",
            "L'Homme à tête de chou",
        ],
    },
    Artist {
        name: "Françoise Hardy",
        genre: "Pop",
        titles: &[
            "Tous les garçons et les filles",
            "La Question",
            "Comment te dire adieu",
        ],
    },
    Artist {
        name: "Caetano Veloso",
        genre: "Latin",
        titles: &[
            "Transa",
            "Caetano Veloso",
            "Araçá Azul",
            "Cinema Transcendental",
        ],
    },
    Artist {
        name: "João Gilberto",
        genre: "Latin",
        titles: &[
            "Chega de Saudade",
            "O Amor, o Sorriso e a Flor",
            "João Gilberto",
        ],
    },
    Artist {
        name: "Mulatu Astatke",
        genre: "Jazz",
        titles: &[
            "Éthiopiques 4",
            "Mulatu of Ethiopia",
            "Sketches of Ethiopia",
        ],
    },
    Artist {
        name: "Fela Kuti",
        genre: "Funk / Soul",
        titles: &[
            "Zombie",
            "Expensive Shit",
            "Gentleman",
            "Water No Get Enemy",
        ],
    },
    Artist {
        name: "Ali Farka Touré",
        genre: "Folk, World, & Country",
        titles: &["Talking Timbuktu", "Savane", "Niafunké"],
    },
    Artist {
        name: "Tinariwen",
        genre: "Folk, World, & Country",
        titles: &["Amassakoul", "Aman Iman", "Tassili", "Elwan"],
    },
    Artist {
        name: "細野晴臣",
        genre: "Pop",
        titles: &["Hosono House", "泰安洋行", "はらいそ", "Philharmony"],
    },
    Artist {
        name: "大貫妙子",
        genre: "Pop",
        titles: &["Sunshower", "Mignonne", "Romantique", "Aventure"],
    },
    Artist {
        name: "山下達郎",
        genre: "Pop",
        titles: &["Ride on Time", "For You", "Spacy", "Circus Town"],
    },
    Artist {
        name: "Аквариум",
        genre: "Rock",
        titles: &["Радио Африка", "Табу", "Равноденствие"],
    },
    Artist {
        name: "Umm Kulthum / أم كلثوم",
        genre: "Folk, World, & Country",
        titles: &[
            "Enta Omri / انت عمري",
            "Al Atlal / الأطلال",
            "Alf Leila Wa Leila / ألف ليلة وليلة",
        ],
    },
    Artist {
        name: "Omar Souleyman",
        genre: "Folk, World, & Country",
        titles: &["Wenu Wenu", "Bahdeni Nami", "To Syria, With Love"],
    },
    Artist {
        name: "산울림",
        genre: "Rock",
        titles: &["산울림 새 노래 모음", "아니 벌써", "산울림 제2집"],
    },
    Artist {
        name: "Ελένη Καραΐνδρου",
        genre: "Stage & Screen",
        titles: &["Ulysses' Gaze", "Eternity and a Day", "Μουσική για ταινίες"],
    },
    Artist {
        name: "Miles Davis",
        genre: "Jazz",
        titles: &[
            "Kind of Blue",
            "Bitches Brew",
            "In a Silent Way",
            "Sketches of Spain",
            "'Round About Midnight",
        ],
    },
    Artist {
        name: "John Coltrane",
        genre: "Jazz",
        titles: &[
            "A Love Supreme",
            "Blue Train",
            "Giant Steps",
            "Ballads",
            "Crescent",
        ],
    },
    Artist {
        name: "Art Blakey & The Jazz Messengers",
        genre: "Jazz",
        titles: &["Moanin'", "Free for All", "Mosaic", "Buhaina's Delight"],
    },
    Artist {
        name: "Lee Morgan",
        genre: "Jazz",
        titles: &["The Sidewinder", "Search for the New Land", "Cornbread"],
    },
    Artist {
        name: "Horace Silver",
        genre: "Jazz",
        titles: &[
            "Song for My Father",
            "Blowin' the Blues Away",
            "The Cape Verdean Blues",
        ],
    },
    Artist {
        name: "Alice Coltrane",
        genre: "Jazz",
        titles: &[
            "Journey in Satchidananda",
            "Ptah, the El Daoud",
            "Universal Consciousness",
        ],
    },
    Artist {
        name: "Nina Simone",
        genre: "Jazz",
        titles: &[
            "Wild Is the Wind",
            "Pastel Blues",
            "I Put a Spell on You",
            "Little Girl Blue",
        ],
    },
    Artist {
        name: "Aretha Franklin",
        genre: "Funk / Soul",
        titles: &[
            "Lady Soul",
            "I Never Loved a Man the Way I Love You",
            "Young, Gifted and Black",
        ],
    },
    Artist {
        name: "Curtis Mayfield",
        genre: "Funk / Soul",
        titles: &[
            "Superfly",
            "Curtis",
            "Roots",
            "There's No Place Like America Today",
        ],
    },
    Artist {
        name: "Marvin Gaye",
        genre: "Funk / Soul",
        titles: &["What's Going On", "Let's Get It On", "I Want You"],
    },
    Artist {
        name: "King Tubby",
        genre: "Reggae",
        titles: &[
            "Dub from the Roots",
            "The Roots of Dub",
            "King Tubby Meets Rockers Uptown",
        ],
    },
    Artist {
        name: "Lee \"Scratch\" Perry",
        genre: "Reggae",
        titles: &[
            "Super Ape",
            "Return of the Super Ape",
            "Roast Fish Collie Weed & Corn Bread",
        ],
    },
    Artist {
        name: "Augustus Pablo",
        genre: "Reggae",
        titles: &[
            "East of the River Nile",
            "This Is Augustus Pablo",
            "Original Rockers",
        ],
    },
    Artist {
        name: "Bob Marley & The Wailers",
        genre: "Reggae",
        titles: &["Catch a Fire", "Natty Dread", "Exodus", "Burnin'"],
    },
    Artist {
        name: "Wu-Tang Clan",
        genre: "Hip Hop",
        titles: &["Enter the Wu-Tang (36 Chambers)", "Wu-Tang Forever"],
    },
    Artist {
        name: "Nas",
        genre: "Hip Hop",
        titles: &["Illmatic", "It Was Written"],
    },
    Artist {
        name: "A Tribe Called Quest",
        genre: "Hip Hop",
        titles: &[
            "The Low End Theory",
            "Midnight Marauders",
            "People's Instinctive Travels and the Paths of Rhythm",
        ],
    },
    Artist {
        name: "J Dilla",
        genre: "Hip Hop",
        titles: &["Donuts", "Welcome 2 Detroit", "The Shining"],
    },
    Artist {
        name: "Madvillain",
        genre: "Hip Hop",
        titles: &["Madvillainy"],
    },
    Artist {
        name: "The Clash",
        genre: "Rock",
        titles: &["London Calling", "The Clash", "Sandinista!", "Combat Rock"],
    },
    Artist {
        name: "Joy Division",
        genre: "Rock",
        titles: &["Unknown Pleasures", "Closer", "Still"],
    },
    Artist {
        name: "Pixies",
        genre: "Rock",
        titles: &["Doolittle", "Surfer Rosa", "Bossanova", "Trompe le Monde"],
    },
    Artist {
        name: "Pavement",
        genre: "Rock",
        titles: &[
            "Slanted and Enchanted",
            "Crooked Rain, Crooked Rain",
            "Wowee Zowee",
        ],
    },
    Artist {
        name: "Radiohead",
        genre: "Rock",
        titles: &[
            "OK Computer",
            "Kid A",
            "In Rainbows",
            "The Bends",
            "Amnesiac",
        ],
    },
    Artist {
        name: "PJ Harvey",
        genre: "Rock",
        titles: &[
            "Rid of Me",
            "Dry",
            "To Bring You My Love",
            "Let England Shake",
        ],
    },
    Artist {
        name: "Kate Bush",
        genre: "Pop",
        titles: &[
            "Hounds of Love",
            "The Kick Inside",
            "The Dreaming",
            "Never for Ever",
        ],
    },
    Artist {
        name: "David Bowie",
        genre: "Rock",
        titles: &["Low", "\"Heroes\"", "Station to Station", "Hunky Dory", "★"],
    },
    Artist {
        name: "Brian Eno",
        genre: "Electronic",
        titles: &[
            "Ambient 1: Music for Airports",
            "Another Green World",
            "Apollo: Atmospheres & Soundtracks",
        ],
    },
    Artist {
        name: "Nick Drake",
        genre: "Folk, World, & Country",
        titles: &["Pink Moon", "Bryter Layter", "Five Leaves Left"],
    },
    Artist {
        name: "Joni Mitchell",
        genre: "Folk, World, & Country",
        titles: &["Blue", "Hejira", "Court and Spark", "Ladies of the Canyon"],
    },
    Artist {
        name: "Dolly Parton",
        genre: "Folk, World, & Country",
        titles: &["Jolene", "Coat of Many Colors", "9 to 5 and Odd Jobs"],
    },
    Artist {
        name: "Daft Punk",
        genre: "Electronic",
        titles: &[
            "Homework",
            "Discovery",
            "Random Access Memories",
            "Alive 2007",
        ],
    },
    Artist {
        name: "Aphex Twin",
        genre: "Electronic",
        titles: &[
            "Selected Ambient Works 85-92",
            "Richard D. James Album",
            "Syro",
            "...I Care Because You Do",
        ],
    },
    Artist {
        name: "Boards of Canada",
        genre: "Electronic",
        titles: &[
            "Music Has the Right to Children",
            "Geogaddi",
            "Tomorrow's Harvest",
        ],
    },
    Artist {
        name: "Burial",
        genre: "Electronic",
        titles: &["Untrue", "Burial", "Kindred", "Rival Dealer"],
    },
    Artist {
        name: "Basic Channel",
        genre: "Electronic",
        titles: &["BCD", "Quadrant Dub", "Phylyps Trak"],
    },
    Artist {
        name: "Moodymann",
        genre: "Electronic",
        titles: &[
            "Silentintroduction",
            "Mahogany Brown",
            "Black Mahogani",
            "DJ-Kicks",
        ],
    },
    Artist {
        name: "Portishead",
        genre: "Electronic",
        titles: &["Dummy", "Portishead", "Third", "Roseland NYC Live"],
    },
    Artist {
        name: "Massive Attack",
        genre: "Electronic",
        titles: &["Blue Lines", "Protection", "Mezzanine", "Heligoland"],
    },
    Artist {
        name: "The Knife",
        genre: "Electronic",
        titles: &["Silent Shout", "Deep Cuts", "Shaking the Habitual"],
    },
    Artist {
        name: "Sade",
        genre: "Funk / Soul",
        titles: &["Diamond Life", "Promise", "Love Deluxe", "Lovers Rock"],
    },
    Artist {
        name: "Glenn Gould",
        genre: "Classical",
        titles: &[
            "Bach: The Goldberg Variations",
            "Bach: The Well-Tempered Clavier",
            "Brahms: Intermezzi",
        ],
    },
    Artist {
        name: "Khruangbin",
        genre: "Funk / Soul",
        titles: &[
            "The Universe Smiles Upon You",
            "Con Todo El Mundo",
            "Mordechai",
            "A La Sala",
        ],
    },
    Artist {
        name: "Mariza",
        genre: "Folk, World, & Country",
        titles: &["Fado em Mim", "Fado Curvo", "Transparente", "Terra"],
    },
    Artist {
        name: "Jóhann Jóhannsson",
        genre: "Stage & Screen",
        titles: &[
            "Orphée",
            "Fordlândia",
            "IBM 1401, A User's Manual",
            "Arrival",
        ],
    },
    Artist {
        name: "Mø",
        genre: "Pop",
        titles: &[
            "No Mythologies to Follow",
            "Forever Neverland",
            "Motordrome",
        ],
    },
    Artist {
        name: "Múm",
        genre: "Electronic",
        titles: &[
            "Yesterday Was Dramatic – Today Is OK",
            "Finally We Are No One",
            "Summer Make Good",
        ],
    },
    Artist {
        name: "Emilíana Torrini",
        genre: "Pop",
        titles: &["Fisherman's Woman", "Me and Armini", "Tookah"],
    },
];

/// First names for generated artists; some with diacritics on purpose.
pub const FIRST_NAMES: &[&str] = &[
    "Anna",
    "Tom",
    "Sarah",
    "James",
    "Lena",
    "Marcus",
    "Nadia",
    "Oliver",
    "Ruth",
    "Sam",
    "Theo",
    "Yusuf",
    "Zoë",
    "Søren",
    "José",
    "François",
    "Jürgen",
    "Łukasz",
    "Agnès",
    "Björn",
    "Inês",
    "Örjan",
    "Ægir",
    "Chloé",
    "Renée",
    "Dženan",
    "Małgorzata",
    "Ángel",
    "Sinéad",
    "Håkon",
    "Jiří",
    "Ştefan",
    "Kōji",
    "Noémie",
    "Ayşe",
    "Maël",
    "Kwame",
    "Priya",
    "Hiroshi",
    "Mariam",
    "Carlos",
    "Ingrid",
    "Dmitri",
    "Amara",
    "Luca",
    "Freya",
    "Omar",
    "Wei",
];

/// Family names for generated artists.
pub const LAST_NAMES: &[&str] = &[
    "Smith",
    "Okafor",
    "Jensen",
    "Moreau",
    "Schneider",
    "Novak",
    "Rossi",
    "Tanaka",
    "Kowalski",
    "Murphy",
    "Ahmed",
    "Lindqvist",
    "Müller",
    "Sørensen",
    "Gonçalves",
    "Dvořáková",
    "Þórsdóttir",
    "Ødegaard",
    "Caño",
    "Nuñez",
    "Grünewald",
    "Ó Súilleabháin",
    "Yılmaz",
    "Ibáñez",
    "García",
    "Kovačević",
    "Høst",
    "Łazarz",
    "Bergström",
    "Lévesque",
    "Fernández",
    "Ward",
    "Reyes",
    "Park",
    "Nakamura",
    "Adeyemi",
];

/// Adjectives for generated band names and titles.
pub const ADJECTIVES: &[&str] = &[
    "Velvet",
    "Electric",
    "Silent",
    "Golden",
    "Broken",
    "Midnight",
    "Crystal",
    "Hollow",
    "Distant",
    "Neon",
    "Frozen",
    "Solar",
    "Lunar",
    "Wild",
    "Quiet",
    "Burning",
    "Paper",
    "Glass",
    "Secret",
    "Endless",
    "Naïve",
    "Déjà",
    "Sacred",
    "Hidden",
    "Crimson",
    "Faded",
    "Blue",
    "Wandering",
    "Restless",
    "Tender",
    "Strange",
    "Analog",
    "Cosmic",
    "Northern",
    "Southern",
    "Über",
];

/// Nouns for generated band names and titles.
pub const NOUNS: &[&str] = &[
    "Harbour",
    "Echoes",
    "Machines",
    "Gardens",
    "Rivers",
    "Tapes",
    "Signals",
    "Mirrors",
    "Ghosts",
    "Horizons",
    "Waves",
    "Lights",
    "Café",
    "Fjörd",
    "Rêve",
    "Señales",
    "Cathedrals",
    "Engines",
    "Dreams",
    "Shadows",
    "Islands",
    "Circuits",
    "Orchards",
    "Tides",
    "Motorik",
    "Façades",
    "Smörgåsbord",
    "Pilots",
    "Satellites",
    "Bridges",
    "Forests",
    "Static",
    "Colours",
    "Voices",
    "Deserts",
    "Hymns",
];

/// Places for "Live at …" and "… Sessions" titles; several scripts.
pub const PLACES: &[&str] = &[
    "Reykjavík",
    "Zürich",
    "São Paulo",
    "Kraków",
    "Malmö",
    "Köln",
    "Bogotá",
    "Montréal",
    "Düsseldorf",
    "Tōkyō",
    "İstanbul",
    "Praha",
    "Kyiv",
    "Москва",
    "東京",
    "서울",
    "القاهرة",
    "Αθήνα",
    "Berlin",
    "Detroit",
    "Chicago",
    "Bristol",
    "Manchester",
    "Lagos",
    "Bamako",
    "Kingston",
    "Addis Ababa",
    "New Orleans",
    "Lisboa",
    "Sevilla",
    "Göteborg",
    "Nouméa",
    "Tromsø",
    "Ljubljana",
    "Łódź",
    "Tbilisi",
];

/// Extra words that only appear in the very long titles.
pub const LONG_TITLE_PHRASES: &[&str] = &[
    "Complete Recordings",
    "Remastered Édition Spéciale",
    "Original Motion Picture Soundtrack",
    "Deluxe 40th Anniversary Box",
    "Live at the Café de la Danse",
    "Sessions Inédites 1968–1974",
    "Les Années Perdues",
    "Música para Películas Imaginarias",
    "Gesammelte Werke und Raritäten",
    "Самые лучшие песни",
    "未発表音源集",
    "الحفلات الكاملة",
    "Ζωντανή ηχογράφηση",
    "Volume I–IV",
    "with the Orquesta Sinfónica de Galicia",
    "featuring Åsa Øberg & Jüri Põld",
    "Bonus Tracks and Alternate Takes",
    "Demos, Outtakes & BBC Sessions",
    "Mixed by DJ Ünal",
    "Édition Limitée Numérotée",
];

/// Record labels; `prefix` is the catalogue-number prefix used when a label
/// is emitted in its object form (`{"name", "catno"}`).
pub struct Label {
    pub name: &'static str,
    pub prefix: &'static str,
}

pub const LABELS: &[Label] = &[
    Label {
        name: "Warp",
        prefix: "WARP",
    },
    Label {
        name: "Rough Trade",
        prefix: "ROUGH",
    },
    Label {
        name: "Sub Pop",
        prefix: "SP",
    },
    Label {
        name: "4AD",
        prefix: "CAD",
    },
    Label {
        name: "Blue Note",
        prefix: "BST-",
    },
    Label {
        name: "Impulse!",
        prefix: "AS-",
    },
    Label {
        name: "Factory",
        prefix: "FACT",
    },
    Label {
        name: "Mute",
        prefix: "STUMM",
    },
    Label {
        name: "XL Recordings",
        prefix: "XLLP",
    },
    Label {
        name: "Ninja Tune",
        prefix: "ZEN",
    },
    Label {
        name: "Domino",
        prefix: "WIGLP",
    },
    Label {
        name: "Matador",
        prefix: "OLE-",
    },
    Label {
        name: "Stax",
        prefix: "STS-",
    },
    Label {
        name: "Motown",
        prefix: "MS ",
    },
    Label {
        name: "Island Records",
        prefix: "ILPS ",
    },
    Label {
        name: "Trojan Records",
        prefix: "TRLS ",
    },
    Label {
        name: "Studio One",
        prefix: "SOL",
    },
    Label {
        name: "Deutsche Grammophon",
        prefix: "DG ",
    },
    Label {
        name: "ECM Records",
        prefix: "ECM ",
    },
    Label {
        name: "Kompakt",
        prefix: "KOMPAKT ",
    },
    Label {
        name: "Tresor",
        prefix: "TRESOR",
    },
    Label {
        name: "Ostgut Ton",
        prefix: "OSTGUT",
    },
    Label {
        name: "Smekkleysa",
        prefix: "SM",
    },
    Label {
        name: "One Little Indian",
        prefix: "TPLP",
    },
    Label {
        name: "Erased Tapes",
        prefix: "ERATP",
    },
    Label {
        name: "Because Music",
        prefix: "BEC",
    },
    Label {
        name: "Barclay",
        prefix: "80",
    },
    Label {
        name: "Philips",
        prefix: "6325 ",
    },
    Label {
        name: "Elektra",
        prefix: "EKS-",
    },
    Label {
        name: "Def Jam Recordings",
        prefix: "DEF",
    },
    Label {
        name: "Stones Throw Records",
        prefix: "STH",
    },
    Label {
        name: "Soul Jazz Records",
        prefix: "SJR LP",
    },
    Label {
        name: "Honest Jon's Records",
        prefix: "HJRLP",
    },
    Label {
        name: "Nonesuch",
        prefix: "H-72",
    },
    Label {
        name: "Sahel Sounds",
        prefix: "SS-0",
    },
    Label {
        name: "Analog Africa",
        prefix: "AALP",
    },
    Label {
        name: "Light In The Attic",
        prefix: "LITA ",
    },
    Label {
        name: "The Numero Group",
        prefix: "NUM",
    },
    Label {
        name: "Hyperdub",
        prefix: "HDB",
    },
    Label {
        name: "R & S Records",
        prefix: "RS ",
    },
    Label {
        name: "Мелодия",
        prefix: "С60-",
    },
    Label {
        name: "Alfa",
        prefix: "ALR-",
    },
    Label {
        name: "Toshiba EMI",
        prefix: "TOCP-",
    },
    Label {
        name: "Voix de l'Orient",
        prefix: "VDLP ",
    },
    Label {
        name: "Discos Fuentes",
        prefix: "D-",
    },
    Label {
        name: "Self-released",
        prefix: "SR",
    },
];

/// Format descriptor sets (Discogs style) with a typical shipping weight.
pub struct Format {
    pub descriptors: &'static [&'static str],
    pub grams: u32,
    /// First year this physical format was plausibly pressed.
    pub since: u16,
    /// Relative frequency in a shop's stock.
    pub share: u64,
}

pub const FORMATS: &[Format] = &[
    Format {
        descriptors: &["Vinyl", "LP", "Album"],
        grams: 260,
        since: 1955,
        share: 30,
    },
    Format {
        descriptors: &["Vinyl", "LP", "Album", "Reissue"],
        grams: 280,
        since: 1955,
        share: 14,
    },
    Format {
        descriptors: &["Vinyl", "LP", "Album", "Limited Edition", "Coloured"],
        grams: 270,
        since: 1975,
        share: 8,
    },
    Format {
        descriptors: &["Vinyl", "2×LP", "Album", "Gatefold"],
        grams: 520,
        since: 1967,
        share: 8,
    },
    Format {
        descriptors: &["Vinyl", "12\"", "33 ⅓ RPM"],
        grams: 210,
        since: 1976,
        share: 8,
    },
    Format {
        descriptors: &["Vinyl", "12\"", "45 RPM", "EP"],
        grams: 200,
        since: 1976,
        share: 5,
    },
    Format {
        descriptors: &["Vinyl", "7\"", "45 RPM", "Single"],
        grams: 60,
        since: 1955,
        share: 8,
    },
    Format {
        descriptors: &["CD", "Album"],
        grams: 100,
        since: 1983,
        share: 10,
    },
    Format {
        descriptors: &["CD", "Album", "Digipak"],
        grams: 90,
        since: 1990,
        share: 4,
    },
    Format {
        descriptors: &["Cassette"],
        grams: 70,
        since: 1966,
        share: 2,
    },
    Format {
        descriptors: &["Cassette", "Album", "Limited Edition"],
        grams: 75,
        since: 1966,
        share: 2,
    },
    Format {
        descriptors: &["Box Set", "Vinyl", "LP", "Compilation"],
        grams: 1800,
        since: 1960,
        share: 1,
    },
];

/// Countries of release (Discogs spells several of these this way).
pub const COUNTRIES: &[&str] = &[
    "UK",
    "UK",
    "UK",
    "US",
    "US",
    "US",
    "Europe",
    "Europe",
    "Germany",
    "Germany",
    "France",
    "France",
    "Japan",
    "Japan",
    "Iceland",
    "Netherlands",
    "Italy",
    "Spain",
    "Sweden",
    "Norway",
    "Canada",
    "Australia",
    "Jamaica",
    "Brazil",
    "Mexico",
    "Nigeria",
    "Mali",
    "Lebanon",
    "Turkey",
    "USSR",
    "Russia",
    "South Korea",
    "Greece",
    "Portugal",
    "UK & Europe",
    "Worldwide",
];

/// Goldmine grading scale: (long form used in list-shaped options, short form
/// used in map-shaped options), best first.
pub const GRADES: &[(&str, &str)] = &[
    ("Mint (M)", "M"),
    ("Near Mint (NM or M-)", "NM"),
    ("Very Good Plus (VG+)", "VG+"),
    ("Very Good (VG)", "VG"),
    ("Good Plus (G+)", "G+"),
    ("Good (G)", "G"),
    ("Fair (F)", "F"),
    ("Poor (P)", "P"),
];

/// Relative frequency of each grade for used stock (shops mostly carry
/// NM/VG+/VG, rarely worse).
pub const GRADE_WEIGHTS: &[u64] = &[3, 25, 35, 20, 9, 5, 2, 1];

/// Shop notes for second-hand copies.
pub const USED_NOTES: &[&str] = &[
    "Light surface marks, plays through cleanly.",
    "Some crackle on the run-in of side A, otherwise superb.",
    "Sleeve has ring wear and a small seam split at the top.",
    "Original inner sleeve included. Previous owner's name written on the back.",
    "Cleaned on our Degritter. Quiet pressing.",
    "Promo stamp on the rear sleeve.",
    "Hype sticker intact! Shrink still on.",
    "Small tear to the obi strip.",
    "Light warp that does not affect play.",
    "Disc is near flawless, case has a cracked hinge.",
    "Includes the poster. Corners slightly dinged.",
    "Écrit au stylo sur la pochette – sinon très bon état.",
    "Mit Originalinnenhülle. Leichte Gebrauchsspuren.",
];

/// Shop notes for new stock.
pub const NEW_NOTES: &[&str] = &[
    "Sealed.",
    "Staff pick! Ask us about it at the counter.",
    "Restocked this week.",
    "Limited to one per customer.",
    "Comes with a download code.",
    "Indie-shop exclusive colour variant.",
];

/// Sentence starters for catalogue descriptions.
pub const DESCRIPTION_OPENERS: &[&str] = &[
    "A landmark record that still sounds ahead of its time.",
    "Long out of print and finally back on the shelves.",
    "Deep grooves, warm mastering and a gorgeous sleeve.",
    "One of our most requested titles.",
    "The album that defined a scene.",
    "Hypnotic, patient and quietly devastating.",
    "Essential listening for any collection.",
    "Recorded live to two-track in a single afternoon.",
    "Un classique absolu, enfin réédité.",
    "Ein Meilenstein der elektronischen Musik.",
];

/// A merchandise/accessory product: (title, manufacturer, categories).
pub const PRODUCTS: &[(&str, &str, &[&str])] = &[
    (
        "Record Cleaning Brush (Carbon Fibre)",
        "AudioQuest",
        &["Accessories", "Cleaning"],
    ),
    (
        "Anti-Static Inner Sleeves – 50 Pack",
        "Nagaoka",
        &["Accessories", "Sleeves"],
    ),
    (
        "12\" Polythene Outer Sleeves – 25 Pack",
        "Covers33",
        &["Accessories", "Sleeves"],
    ),
    (
        "Felt Slipmat – Shop Logo",
        "Groundfloor Records",
        &["Merch", "Slipmats"],
    ),
    (
        "VM95E Cartridge",
        "Audio-Technica",
        &["Hi-Fi", "Cartridges"],
    ),
    ("2M Red Cartridge", "Ortofon", &["Hi-Fi", "Cartridges"]),
    (
        "Debut Carbon EVO Turntable",
        "Pro-Ject",
        &["Hi-Fi", "Turntables"],
    ),
    ("Planar 1 Turntable", "Rega", &["Hi-Fi", "Turntables"]),
    ("Canvas Tote Bag", "Groundfloor Records", &["Merch", "Bags"]),
    (
        "Logo T-Shirt",
        "Groundfloor Records",
        &["Merch", "Clothing"],
    ),
    ("Record Clamp", "Pro-Ject", &["Accessories"]),
    (
        "Vinyl Storage Crate",
        "Hudson Hi-Fi",
        &["Accessories", "Storage"],
    ),
    (
        "ATH-M50x Headphones",
        "Audio-Technica",
        &["Hi-Fi", "Headphones"],
    ),
    (
        "Spin-Clean Record Washer MKII",
        "Spin-Clean",
        &["Accessories", "Cleaning"],
    ),
    ("Stylus Cleaning Gel", "Onzow", &["Accessories", "Cleaning"]),
    (
        "Poster – Sigur Rós, Ágætis byrjun",
        "Shop Prints",
        &["Merch", "Posters"],
    ),
    ("Enamel Pin – Cassette", "Shop Prints", &["Merch"]),
    ("Blank Cassette C60", "Maxell", &["Accessories", "Tapes"]),
];

/// Variant suffixes for products.
pub const PRODUCT_VARIANTS: &[&str] = &[
    "",
    "",
    "",
    " – Black",
    " – White",
    " – Natural",
    " (Pack of 2)",
    " – Size M",
    " – Size L",
    " – Édition Spéciale",
];

/// A music book: (title, authors, publisher, language, page count).
pub const BOOKS: &[(&str, &[&str], &str, &str, u32)] = &[
    (
        "Last Night a DJ Saved My Life",
        &["Bill Brewster", "Frank Broughton"],
        "Headline",
        "en",
        608,
    ),
    (
        "Rip It Up and Start Again: Postpunk 1978–1984",
        &["Simon Reynolds"],
        "Faber & Faber",
        "en",
        577,
    ),
    ("Energy Flash", &["Simon Reynolds"], "Picador", "en", 800),
    (
        "England's Dreaming",
        &["Jon Savage"],
        "Faber & Faber",
        "en",
        640,
    ),
    ("How Music Works", &["David Byrne"], "Canongate", "en", 352),
    ("Just Kids", &["Patti Smith"], "Bloomsbury", "en", 304),
    (
        "Please Kill Me",
        &["Legs McNeil", "Gillian McCain"],
        "Grove Press",
        "en",
        512,
    ),
    (
        "Chronicles: Volume One",
        &["Bob Dylan"],
        "Simon & Schuster",
        "en",
        304,
    ),
    (
        "Ocean of Sound",
        &["David Toop"],
        "Serpent's Tail",
        "en",
        320,
    ),
    (
        "Der Klang der Familie",
        &["Felix Denk", "Sven von Thülen"],
        "Suhrkamp",
        "de",
        420,
    ),
    (
        "Techno Rebels",
        &["Dan Sicko"],
        "Wayne State University Press",
        "en",
        208,
    ),
    ("音楽は自由にする", &["坂本龍一"], "新潮社", "ja", 272),
    (
        "Dub: Soundscapes and Shattered Songs in Jamaican Reggae",
        &["Michael Veal"],
        "Wesleyan University Press",
        "en",
        336,
    ),
    (
        "Mémoires d'un rocker",
        &["Jean-Noël Coghe"],
        "Le Castor Astral",
        "fr",
        256,
    ),
];

/// Variants for books.
pub const BOOK_VARIANTS: &[&str] = &[
    "",
    " (Paperback)",
    " (Hardcover)",
    " (Signed Copy)",
    " – 2nd Edition",
];

/// Types the feed spec does not document; consumers must skip or tolerate them.
pub const UNKNOWN_TYPES: &[(&str, &str)] = &[
    ("GiftCardItem", "Gift Card – £25"),
    ("GiftCardItem", "Gift Card – £50"),
    ("GiftCardItem", "Carte cadeau – 30 €"),
    (
        "EventTicketItem",
        "In-store Session: Ólafur Arnalds (Ticket)",
    ),
];
