"""Fixed tables the synthetic demo draws from: places, people's names, and product vocabulary.

Addresses are real-looking (real streets and postal codes), never real customers.
"""

from __future__ import annotations

# fmt: off

# code, name, kind, street, postal code, city, region, country, lat, long, priority,
# daily capacity, groups
LOCATIONS: tuple[tuple, ...] = (
    ("WH-DE-HAM", "Hamburg Billbrook DC", "warehouse", "Billbrookdeich 210", "22113", "Hamburg",
     "Hamburg", "DE", "53.532410", "10.085830", 10, 1200, ("eu-warehouses", "warehouses-de")),
    ("WH-DE-LEJ", "Leipzig Radefeld DC", "warehouse", "Am Exer 11", "04435", "Schkeuditz",
     "Sachsen", "DE", "51.417690", "12.257340", 20, 900, ("eu-warehouses", "warehouses-de")),
    ("WH-NL-VNO", "Venlo Trade Port DC", "warehouse", "Celsiusweg 30", "5928 PR", "Venlo",
     "Limburg", "NL", "51.396450", "6.144290", 30, 800, ("eu-warehouses",)),
    ("WH-FR-LYS", "Lyon Saint-Priest DC", "warehouse", "Rue du Lieutenant Colonel Girard 14",
     "69800", "Saint-Priest", "Auvergne-Rhône-Alpes", "FR", "45.702360", "4.945290", 40, 700,
     ("eu-warehouses",)),
    ("ST-DE-BER", "Store Berlin Mitte", "store", "Rosenthaler Straße 40", "10178", "Berlin",
     "Berlin", "DE", "52.526640", "13.402110", 100, 80, ("stores", "stores-de")),
    ("ST-DE-MUC", "Store München Sendlinger Straße", "store", "Sendlinger Straße 23", "80331",
     "München", "Bayern", "DE", "48.135030", "11.569940", 100, 80, ("stores", "stores-de")),
    ("ST-DE-CGN", "Store Köln Ehrenstraße", "store", "Ehrenstraße 58", "50672", "Köln",
     "Nordrhein-Westfalen", "DE", "50.938230", "6.939200", 110, 60, ("stores", "stores-de")),
    ("ST-FR-PAR", "Store Paris Rivoli", "store", "Rue de Rivoli 112", "75001", "Paris",
     "Île-de-France", "FR", "48.860260", "2.344670", 100, 90, ("stores", "stores-fr")),
    ("ST-FR-BOD", "Store Bordeaux Sainte-Catherine", "store", "Rue Sainte-Catherine 87",
     "33000", "Bordeaux", "Nouvelle-Aquitaine", "FR", "44.838510", "-0.573780", 110, 50,
     ("stores", "stores-fr")),
    ("ST-NL-AMS", "Store Amsterdam Kalverstraat", "store", "Kalverstraat 152", "1012 XE",
     "Amsterdam", "Noord-Holland", "NL", "52.368530", "4.891320", 100, 90,
     ("stores", "stores-benelux")),
    ("ST-BE-ANR", "Store Antwerpen Meir", "store", "Meir 78", "2000", "Antwerpen", "Antwerpen",
     "BE", "51.218870", "4.410580", 110, 60, ("stores", "stores-benelux")),
    ("DS-AT-GRZ", "Dropship Alpen Elektronik Graz", "dropship", "Puchstraße 85", "8020", "Graz",
     "Steiermark", "AT", "47.043710", "15.425340", 200, None, ("dropship",)),
)

LOCATION_GROUPS: tuple[tuple[str, str], ...] = (
    ("eu-warehouses", "EU distribution centres"),
    ("warehouses-de", "German distribution centres"),
    ("stores", "All stores"),
    ("stores-de", "Stores in Germany"),
    ("stores-fr", "Stores in France"),
    ("stores-benelux", "Stores in the Netherlands and Belgium"),
    ("dropship", "Dropship suppliers"),
)

# code, name, kind, stock buffer, excluded locations
CHANNELS: tuple[tuple, ...] = (
    ("web", "Web shop", "web", 0, ()),
    ("marketplace", "Marketplace (Galaxia)", "marketplace", 2, ("DS-AT-GRZ", "ST-BE-ANR")),
    ("pos", "Store POS", "pos", 0, ()),
    ("phone", "Call center", "phone", 0, ()),
    ("api", "B2B API", "api", 0, ()),
)

# country: phone prefix, mobile prefixes, digits after them, VAT rate, cities
# city: (name, region, postal codes, streets)
COUNTRIES: dict[str, dict] = {
    "DE": {
        "phone": "+49",
        "mobile": ("151", "160", "170", "176"),
        "digits": 8,  # digits after the mobile prefix
        "vat": "0.19",
        "cities": (
            ("Berlin", "Berlin", ("10115", "10437", "10999", "12047", "13353"),
             ("Kastanienallee", "Oranienstraße", "Schönhauser Allee", "Sonnenallee",
              "Müllerstraße")),
            ("Hamburg", "Hamburg", ("20095", "20357", "22765", "22303"),
             ("Schanzenstraße", "Ottenser Hauptstraße", "Mühlenkamp", "Eppendorfer Weg")),
            ("München", "Bayern", ("80331", "80469", "80802", "81667"),
             ("Leopoldstraße", "Gärtnerplatz", "Rosenheimer Straße", "Westendstraße")),
            ("Köln", "Nordrhein-Westfalen", ("50667", "50672", "50823", "50937"),
             ("Venloer Straße", "Zülpicher Straße", "Aachener Straße", "Severinstraße")),
            ("Frankfurt am Main", "Hessen", ("60311", "60316", "60487", "60594"),
             ("Berger Straße", "Leipziger Straße", "Schweizer Straße", "Mainzer Landstraße")),
            ("Leipzig", "Sachsen", ("04103", "04107", "04229", "04275"),
             ("Karl-Liebknecht-Straße", "Eisenbahnstraße", "Könneritzstraße", "Gohliser Straße")),
        ),
    },
    "FR": {
        "phone": "+33",
        "mobile": ("60", "61", "62", "64", "65", "66", "67", "68", "75", "76", "77", "78"),
        "digits": 7,
        "vat": "0.20",
        "cities": (
            ("Paris", "Île-de-France", ("75003", "75011", "75015", "75018"),
             ("Rue Oberkampf", "Rue de Charonne", "Rue de Vaugirard", "Rue des Martyrs")),
            ("Lyon", "Auvergne-Rhône-Alpes", ("69001", "69003", "69007"),
             ("Rue de la République", "Cours Gambetta", "Rue Garibaldi")),
            ("Bordeaux", "Nouvelle-Aquitaine", ("33000", "33300", "33800"),
             ("Cours Victor Hugo", "Rue Notre-Dame", "Cours de la Marne")),
            ("Lille", "Hauts-de-France", ("59000", "59800"),
             ("Rue Solférino", "Rue de Béthune", "Rue Gambetta")),
        ),
    },
    "NL": {
        "phone": "+31",
        "mobile": ("61", "62", "63", "64", "65", "68"),
        "digits": 7,
        "vat": "0.21",
        "cities": (
            ("Amsterdam", "Noord-Holland", ("1012 AB", "1053 KR", "1072 GD", "1091 EN"),
             ("Haarlemmerdijk", "Kinkerstraat", "Ferdinand Bolstraat", "Linnaeusstraat")),
            ("Rotterdam", "Zuid-Holland", ("3011 BN", "3014 GA", "3039 AV"),
             ("Witte de Withstraat", "Nieuwe Binnenweg", "Zwaanshals")),
            ("Utrecht", "Utrecht", ("3511 LW", "3581 HB"),
             ("Oudegracht", "Biltstraat", "Twijnstraat")),
        ),
    },
    "BE": {
        "phone": "+32",
        "mobile": ("470", "475", "486", "497"),
        "digits": 6,
        "vat": "0.21",
        "cities": (
            ("Antwerpen", "Antwerpen", ("2000", "2018", "2060"),
             ("Kammenstraat", "Kloosterstraat", "De Coninckplein")),
            ("Gent", "Oost-Vlaanderen", ("9000",), ("Veldstraat", "Sint-Pietersnieuwstraat")),
        ),
    },
    "AT": {
        "phone": "+43",
        "mobile": ("664", "676", "699"),
        "digits": 7,
        "vat": "0.20",
        "cities": (
            ("Wien", "Wien", ("1060", "1070", "1090"),
             ("Mariahilfer Straße", "Neubaugasse", "Währinger Straße")),
            ("Graz", "Steiermark", ("8010", "8020"), ("Sporgasse", "Annenstraße")),
        ),
    },
}
COUNTRY_WEIGHTS: tuple[tuple[str, int], ...] = (("DE", 50), ("FR", 20), ("NL", 15), ("BE", 8),
                                                 ("AT", 7))

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "DE": ("Anna", "Lena", "Marie", "Sophie", "Jonas", "Lukas", "Felix", "Paul", "Mia", "Leon",
           "Hannah", "Tobias", "Katharina", "Maximilian", "Johanna", "Niklas"),
    "FR": ("Camille", "Léa", "Manon", "Chloé", "Hugo", "Lucas", "Louis", "Jules", "Inès",
           "Mathis", "Élodie", "Antoine"),
    "NL": ("Emma", "Sanne", "Femke", "Daan", "Sem", "Lars", "Noor", "Bram", "Tess", "Jesse"),
    "BE": ("Lotte", "Elise", "Wout", "Arne", "Fien", "Thibault", "Ruben", "Marie"),
    "AT": ("Valentina", "Magdalena", "Florian", "Lorenz", "Theresa", "Sebastian", "Elias"),
}
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "DE": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
           "Hoffmann", "Schulz", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schröder"),
    "FR": ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
           "Leroy", "Moreau", "Lefèvre", "Girard"),
    "NL": ("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer",
           "de Boer", "Mulder"),
    "BE": ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens"),
    "AT": ("Gruber", "Huber", "Bauer", "Wagner", "Pichler", "Steiner", "Moser", "Mayer"),
}

# category: SKU prefix, share of the catalog in percent, product types, words, colours,
# parcel size range (length, width, height) in mm, variant values, tags
CATEGORIES: dict[str, dict] = {
    "apparel": {
        "prefix": "AP",
        "share": 40,
        # product type, price range in EUR, weight range in grams
        "types": (("T-Shirt", 19, 39, 150, 260), ("Hoodie", 49, 89, 450, 750),
                  ("Crew Sweater", 59, 129, 300, 550), ("Chinos", 49, 89, 450, 650),
                  ("Linen Shirt", 45, 79, 200, 320), ("Rain Jacket", 89, 189, 450, 800),
                  ("Denim Jacket", 79, 139, 700, 1100), ("Puffer Vest", 69, 129, 300, 520),
                  ("Oxford Shirt", 39, 69, 230, 330), ("Jogger Pants", 39, 69, 300, 480),
                  ("Polo Shirt", 29, 55, 200, 300), ("Wool Beanie", 19, 35, 60, 120),
                  ("Running Shorts", 24, 45, 100, 180), ("Flannel Shirt", 45, 75, 300, 450),
                  ("Quilted Jacket", 99, 199, 700, 1300)),
        "words": ("Organic Cotton", "Merino", "Recycled", "Heavyweight", "Relaxed", "Slim",
                  "Everyday", "Heritage", "Alpine", "Coastal", "Nordic", "Urban", "Brushed",
                  "Garment-Dyed", "Lightweight"),
        "colours": ("Black", "Navy", "Off-White", "Olive", "Heather Grey", "Sand", "Rust",
                    "Forest Green", "Stone", "Burgundy"),
        "box": ((300, 250, 30), (400, 320, 90)),
        "variants": ("S", "M", "L", "XL"),
        "tags": ("apparel", "textile"),
    },
    "home": {
        "prefix": "HO",
        "share": 35,
        "types": (("Serving Board", 24, 69, 600, 1800), ("Mug Set (4)", 24, 49, 1200, 1900),
                  ("Duvet Cover 155×220", 59, 129, 900, 1500), ("Table Lamp", 49, 179, 900, 3200),
                  ("Throw Blanket", 39, 119, 700, 1600), ("Cushion Cover 50×50", 15, 35, 150, 300),
                  ("Storage Basket", 19, 49, 300, 900), ("Carafe 1 l", 19, 39, 450, 800),
                  ("Chef's Knife 20 cm", 39, 149, 180, 320),
                  ("Cast-Iron Skillet 26 cm", 39, 89, 2300, 3600),
                  ("Bath Towel Set", 29, 69, 900, 1600), ("Wall Clock", 29, 89, 400, 1200),
                  ("Planter Ø 24 cm", 19, 49, 900, 2600),
                  ("Pasta Bowl Set (4)", 29, 59, 1800, 2800),
                  ("Scented Candle", 12, 34, 250, 600)),
        "words": ("Oak", "Stoneware", "Linen", "Walnut", "Terracotta", "Ceramic", "Bamboo",
                  "Washed Cotton", "Smoked Glass", "Brass", "Marble", "Enamel", "Rattan",
                  "Wool", "Copper"),
        "colours": ("Natural", "Charcoal", "Sage", "Clay", "White", "Ocean Blue"),
        "box": ((200, 150, 80), (600, 450, 300)),
        "variants": ("Natural", "Charcoal", "Sage"),
        "tags": ("home",),
    },
    "electronics": {
        "prefix": "EL",
        "share": 25,
        "types": (("USB-C Charger 65 W", 29, 59, 110, 220),
                  ("Wireless Earbuds", 49, 229, 50, 120),
                  ("Bluetooth Speaker", 39, 199, 300, 1200),
                  ("Power Bank 20000 mAh", 29, 69, 330, 480),
                  ("Smart Plug", 12, 29, 80, 140), ("Mechanical Keyboard", 69, 199, 700, 1200),
                  ("Wireless Mouse", 19, 99, 70, 140), ("USB-C Hub 7-in-1", 29, 79, 60, 150),
                  ("Noise-Cancelling Headphones", 129, 349, 220, 330),
                  ("LED Desk Lamp", 39, 129, 700, 1800), ("Webcam 1080p", 39, 129, 80, 180),
                  ("Fitness Tracker", 49, 179, 30, 60), ("E-Reader Sleeve", 15, 35, 80, 160),
                  ("Smart Bulb E27", 12, 29, 60, 90), ("HDMI Cable 2 m", 9, 24, 70, 130)),
        "words": ("Pro", "Mini", "Max", "Air", "Lite", "Plus", "Studio", "Go", "Flex", "Core",
                  "Ultra", "Nano", "One", "Edge", "Wave"),
        "colours": ("Graphite", "Silver", "White", "Midnight"),
        "box": ((120, 80, 30), (480, 220, 120)),
        "variants": ("Graphite", "Silver", "White"),
        "tags": ("electronics",),
    },
}
BRANDS: tuple[str, ...] = ("Nordvik", "Maison Lune", "Vantaa", "Brückner & Co", "Kestrel",
                           "Atelier Sud", "Oudegracht", "Fjell", "Lumen", "Tessellate")

# name, SKU code, components as (category, quantity)
KITS: tuple[tuple[str, str, tuple[tuple[str, int], ...]], ...] = (
    ("Home Office Starter Bundle", "KIT-OFFICE", (("electronics", 1), ("electronics", 1),
                                                  ("home", 1))),
    ("Kitchen Essentials Bundle", "KIT-KITCHEN", (("home", 1), ("home", 2))),
    ("Travel Tech Bundle", "KIT-TRAVEL", (("electronics", 1), ("electronics", 2))),
    ("Weekend Outfit Bundle", "KIT-WEEKEND", (("apparel", 1), ("apparel", 1), ("apparel", 1))),
    ("Cosy Evening Gift Box", "KIT-COSY", (("home", 1), ("home", 1), ("apparel", 1))),
)
# fmt: on
