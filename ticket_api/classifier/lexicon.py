"""Words that name what is broken, per category, in English and Italian (CATEGORIES.md).

The corpus cannot show every word for a printer or a radiator in two languages; this list
lets the model pool the evidence of related words into one shared feature per category, so a
rare word inherits the weight its whole group earned. Place words ("canteen", "library") are
deliberately absent: where a problem happens does not decide its category.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# A trailing "*" marks a prefix, a hyphen joins two words that count together ("ceiling-fan" is
# also found as "ceiling fan"), a leading "!" keeps a word out of a category its prefix would
# give ("cleaner" is a person, whose behaviour is a service: rule 3). Every entry is lower-case
# and without accents.
CUES: dict[str, str] = {
    "facility": """
        heating heater* radiator* riscaldament* termosifon* calorifer* caldaia boiler aircon
        air-con condizionat* climatizzator* ventilation ventilazion* ventilat* vent vents leak*
        perdit* infiltrazion* flood* allagat* drip* goccio* damp umidita mould mold muffa
        toilet* bagno bagni wc loo sink* lavandin* tap taps rubinett* shower* docc* drain*
        scaric* elevator* lift lifts ascensor* stair* scala scale escalator* door* porta porte
        portone lock locks locked serratur* maniglia key keys chiave window* finestr* blind*
        tapparell* roof tetto ceiling* soffitt* wall walls muro pareti pavimento tile*
        piastrell* light lights lighting lamp* bulb* lampadin* neon luce luci socket* presa
        prese plug* electric* elettric* corrente blackout fuse* interruttor* chair* sedia sedie
        desk desks banco banchi table* tavol* furniture mobili arredi bench* clean* dirty filth*
        sporc* puliz* pulit* smell* stink* puzza odor* odour* hygien* igien* pest* mice mouse
        topi ratt* rat rats cockroach* scarafagg* insect* insett* ant ants wasp* vesp* pigeon*
        piccion* bin bins cestin* rifiut* trash garbage rubbish spazzatur* parking parcheggi*
        rastrellier* bike rack* ramp* rampa gate cancell* barrier* sbarr* hazard* pericol*
        slipper* scivol* crack* crepa crepe broken-glass vetro glass temperature temperatura
        freezing gelo thermostat* termostat* hand-dryer asciugamani dryer soap sapone
        paper-towel carta-igienica maglock* mag-lock electromagnet* elettromagnetic* fob fobs
        key-fob keyfob* keycard* key-card card-reader badge-reader lettore-badge ceiling-fan
        fan fans fan-coil ventilator* boilers combi sprinkler* gutter* grondai* handrail*
        corrimano urinal* orinatoi* cistern* flush* sciacquon* shutter* serrand* door-closer
        hinge* fire-alarm smoke-detector rilevator* extinguisher* estintor* pothole* breaker*
        trip-switch salvavita plaster intonac* grout fughe carpet* moquette scaffold* ponteggi*
        bed-bugs cimici hornet* calabron* seagull* gabbian* dropping* escrement* vomit* cobweb*
        ragnatel* dust polvere sewer* fogn* gas hot-water acqua-calda
        !cleaner !cleaners
    """,
    "it": """
        wifi wi-fi wlan eduroam network* rete internet connection connession* connect* collegat*
        router* ethernet lan vpn password* pwd passwd pin login log-in logon accedere account*
        credential* credenzial* sso mfa 2fa otp authenticat* autenticazion* authenticator email*
        e-mail mail* inbox outlook casella spam phishing virus malware antivirus ransomware
        portal* portale sito siti website* web webpage app apps applicazion* platform*
        piattaform* moodle lms elearning e-learning teams zoom webex sharepoint onedrive cloud
        software licen* windows macos linux browser chrome firefox update* aggiorn* install*
        download* upload* caricare scaricare server* database backup* sync* crash* bug* error*
        errore 404 500 timeout offline online reboot restart riavvi* computer* pc pcs laptop*
        portatil* desktop tablet keyboard tastier* mouse monitor* printer* stampant* print*
        stampa stampare toner scanner* scansion* copier* fotocopiatric* projector* proiettor*
        beamer hdmi vga usb cable cavo adapter adattator* screen* schermo schermi display*
        whiteboard lavagna-interattiva webcam* microphone* microfon* mic speaker* audio video
        casse sound phone* telefon* voip cellular smartphone signage totem qr bluetooth headset
        cuffie recording livestream streaming site sites smartboard* lim lavagna-interattiva
        interactive-whiteboard kiosk* chiosc* captive-portal voucher* dial-tone linea-telefonica
        tracker clicker* lecture-capture smtp redirect* matlab spss autocad 403 blank-page
        pagina-bianca touchscreen touch-screen timetable-generator generatore-orari
    """,
    "services": """
        food cibo meal* pasto pasti lunch pranzo dinner cena breakfast colazion* menu piatto
        pasta pizza sandwich* panin* salad insalat* soup zuppa meat carne chicken pollo fish
        pesce vegan vegetarian* gluten* allerg* portion* porzion* taste* sapore cooked cotto
        cotta overcooked scott* raw crudo stale raffermo undercooked bland insipid* inedible
        immangiabil* coffee caffe cappuccino tea drink* bevand* price* prezz* expensive costos*
        caro cara cari vending distributor* distributori macchinett* coins monet* refund*
        rimbors* resto staff personale employee* impiegat* rude maleducat* scortes* unfriendly
        unhelpful shouted urlato attitude atteggiament* behaviour behavior comportament*
        impolite registrar segreteria fee fees tasse tassa tuition enrol* iscrizion* certificat*
        transcript* diploma* degree laurea scholarship* borsa grant* admission* ammission*
        application-form paperwork pratic* bureaucra* burocra* appointment* appuntament* queue*
        coda fila wait* attesa aspett* hours orari* orario opening apertur* chiude closes
        lending prestit* loan* borrow* overdue fine fines multa multe shuttle* navett* bus buses
        autobus driver autista transport* trasport* timetable sport* gym palestra coach*
        allenator* housing alloggi* residenz* dorm* rent affitto contract contratto event*
        evento eventi concert* biglietto accounts-office accounts-department accounts-team
        accounts-desk finance-office contabilita ragioneria arrears debt debito mora deposit
        cauzione invoice-fee late-fee service-fee dessert* dolce dolci torta cake* biscott*
        cookie* yogurt yoghurt riso rice fries chips patatin* burger* kebab bread pane
        tiramisu minestrone risotto lasagn* stew spezzatino steak bistecca cook cuoco cuoca
        chef cashier* cassier* librarian* bibliotecari* porter* portiere custode guard guards
        rude* yell* shout* laugh* mock* ignor* scream* dismissive sgrid* urla* insult*
        aggressiv* included incluso inclusa rincar* cost costs costa costano
    """,
}

_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class _Group(NamedTuple):
    exact: frozenset[str]
    prefixes: re.Pattern | None
    excluded: frozenset[str]


def _compile(words: str) -> _Group:
    entries = words.split()
    exact = frozenset(w for w in entries if not w.endswith("*") and not w.startswith("!"))
    excluded = frozenset(w[1:] for w in entries if w.startswith("!"))
    prefixes = sorted((w[:-1] for w in entries if w.endswith("*")), key=len, reverse=True)
    pattern = re.compile("(?:" + "|".join(map(re.escape, prefixes)) + ")") if prefixes else None
    return _Group(exact, pattern, excluded)


_COMPILED = {category: _compile(words) for category, words in CUES.items()}
# The first words of the lexicon's word pairs: only after one of them is a pair looked up.
_PAIR_STARTS = frozenset(
    entry.split("-")[0] for group in _COMPILED.values() for entry in group.exact if "-" in entry
)


def cue_tokens(plain_text: str) -> list[str]:
    """One "cue_<category>" token per word or word pair of the (lower-case, accent-free) text
    in the lexicon; "ceiling-fan" is found as "ceiling fan" too."""
    found = []
    tokens = _TOKEN.findall(plain_text)
    last = len(tokens) - 1
    for index, token in enumerate(tokens):
        pair = f"{token}-{tokens[index + 1]}" if index < last and token in _PAIR_STARTS else None
        for category, (exact, prefixes, excluded) in _COMPILED.items():
            if token in exact or (
                prefixes is not None and token not in excluded and prefixes.match(token)
            ):
                found.append(f"cue_{category}")
            if pair is not None and pair in exact:
                found.append(f"cue_{category}")
    return found
