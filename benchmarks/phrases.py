"""Danish vocabulary for the generated corpus, taken from the source articles and the example inputs.

Sentences are built from these parts, so the text reads like the real inputs
without copying anyone's words or naming anyone.
"""

from __future__ import annotations

# Real Danish municipalities: the corpus spreads its job centres over these.
MUNICIPALITIES = [
    "København", "Aarhus", "Odense", "Aalborg", "Esbjerg", "Randers", "Kolding", "Horsens",
    "Vejle", "Roskilde", "Herning", "Silkeborg", "Næstved", "Viborg", "Holstebro", "Slagelse",
    "Hillerød", "Svendborg", "Sønderborg", "Frederikshavn", "Hjørring", "Holbæk", "Skive",
    "Struer", "Morsø", "Thisted", "Lemvig", "Haderslev", "Aabenraa", "Fredericia",
    "Norddjurs", "Høje-Taastrup", "Lejre",
]  # fmt: skip

FIRST_NAMES = [
    "Anne", "Bente", "Camilla", "Dorte", "Ellen", "Frida", "Gitte", "Hanne", "Ida", "Jette",
    "Karen", "Lone", "Mette", "Nina", "Pia", "Rikke", "Susanne", "Tina", "Ulla", "Vibeke",
    "Anders", "Bo", "Christian", "Henrik", "Jens", "Kasper", "Lars", "Mads", "Niels", "Ole",
    "Peter", "Søren", "Thomas", "Torben", "Jørgen", "Åse", "Birthe", "Mikkel", "Rasmus", "Signe",
]  # fmt: skip
LAST_NAMES = [
    "Andersen", "Bach", "Christensen", "Dahl", "Eriksen", "Frandsen", "Gregersen", "Holm",
    "Iversen", "Jensen", "Kristiansen", "Lund", "Madsen", "Nielsen", "Olsen", "Pedersen",
    "Quist", "Rasmussen", "Sørensen", "Thomsen", "Vestergaard", "Winther", "Østergaard",
    "Ærenlund", "Møller", "Kjær", "Bøgh", "Skov", "Mikkelsen", "Overgaard",
]  # fmt: skip

# Middle names are neither first names nor surnames, so no name is part of another:
# a withheld "Anne Holm" must not hide inside a printed "Anne Holm Jensen".
MIDDLE_NAMES = [
    "Munk", "Brix", "Juul", "Krogh", "Lykke", "Dam", "Bech", "Hald", "Riis", "Fogh",
    "Mølgaard", "Toft", "Kirk", "Frost", "Storm", "Borup",
]  # fmt: skip

ROLES = [
    "jobkonsulent", "tillidsrepræsentant", "fællestillidsrepræsentant", "sagsbehandler",
    "virksomhedskonsulent", "mentor", "beskæftigelsesfaglig medarbejder", "leder",
    "afdelingsformand", "teamleder", "ungevejleder", "rehabiliteringskoordinator",
]  # fmt: skip

THEMES = ["tillid", "faglighed", "resultater-frem-for-processer", "brugerbestyrelser", "borgerraadgiver"]

SUBJECTS = [
    "borgeren", "den ledige", "medarbejderne", "jobcentret", "virksomheden", "kommunen",
    "politikerne", "vi som medarbejdere", "min kollega", "teamet", "lederen", "brugerbestyrelsen",
    "borgerrådgiveren", "tillidsrepræsentanten", "afdelingen", "virksomhedskonsulenten",
]  # fmt: skip
VERBS = [
    "har brug for", "fik", "ønsker", "mangler", "bruger", "taler om", "finder", "savner",
    "skal bevare", "vil gerne af med", "oplever", "tager ansvar for", "får tid til", "bygger på",
]  # fmt: skip
OBJECTS = [
    "tillid", "tid med borgeren", "samarbejdet med virksomhederne", "en fast kontaktperson",
    "færre proceskrav", "mindre dokumentation", "lønnede timer", "et rigtigt job",
    "mere frihed i forløbet", "faglighed i mødet", "IT-systemer, der taler sammen",
    "en samtale uden skema", "støtte i en lang periode", "en ekstra hånd i køkkenet",
    "et virksomhedsbesøg", "ro til at finde det rigtige tempo", "indflydelse på indsatsen",
    "digitale samtaler, når det passer borgeren", "kortere ventetid", "en plan, der holder",
]  # fmt: skip
ENDINGS = [
    "", "", "", " hver eneste uge", " i stedet for et skema", " fra første samtale",
    " selv om tidshorisonten er lang", " når det giver mening", " – og det virker",
    " uden at skulle dokumentere alt", " i et helt år", " sammen med virksomhederne",
]  # fmt: skip
OPENERS = [
    "", "", "", "Derfor ", "Efter to møder ", "I dag ", "Samtidig ", "Til sidst ",
    "Ifølge deltagerne ", "Heldigvis ", "Alligevel ", "Allerede efter en måned ",
]  # fmt: skip

STORY_TITLES = [
    "Samtalen, der blev til en gåtur", "Fire timer om ugen", "Fra mødekalender til virksomhedsbesøg",
    "Borgerrådgiveren, der lyttede", "Brevene, der blev forståelige", "Et job i køkkenet",
    "Når tilliden bærer", "Tid til den enkelte", "Den faste kontaktperson", "Et skridt ad gangen",
    "Virksomheden, der sagde ja", "Mindre skema, mere samtale", "Praktikken, der blev til et job",
    "Da proceskravene faldt væk", "Brugerbestyrelsen tog ordet", "En plan, der holdt",
]  # fmt: skip
PROPOSAL_TITLES = [
    "Mål jobcentrene på resultater", "Afskaf unødige proceskrav", "Indfør brugerbestyrelser",
    "Giv borgerne en borgerrådgiver", "Lad medarbejderne tilrettelægge forløbet",
    "Færre og bedre IT-systemer", "Mere tid med borgeren", "Styrk samarbejdet med virksomhederne",
    "Bevar støtten til udsatte borgere", "Giv plads til digitale samtaler",
    "Gør brevene forståelige", "Faste kontaktpersoner til alle ledige",
]  # fmt: skip
QUOTES = [
    "Det handler om at se mennesket og ikke kun sagen",
    "Vi skal måles på, om folk kommer i job, ikke på antallet af møder",
    "Jeg frygter, at vi bliver nogle krydse af mennesker",
    "Giv os tilliden, så skal vi nok levere resultaterne",
    "Tid med borgeren er det, der gør forskellen",
    "Vi vil være med til at skabe den nye indsats – ikke bare få en kasse, vi skal passe ind i",
]  # fmt: skip
WISHES_KEEP = [
    "Tid med borgeren", "Samarbejdet med virksomhederne", "Muligheden for at få fagligheden i spil",
    "Den faste kontaktperson", "Frihed til at tilrettelægge forløbet",
]  # fmt: skip
WISHES_DISCARD = [
    "Proceskrav", "IT-systemer, der ikke taler sammen", "Overdokumentation", "Måltal for antallet af møder",
    "Lange ventetider",
]  # fmt: skip
