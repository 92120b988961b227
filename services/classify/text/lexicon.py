"""Word lists the rules are built from, as regex fragments (no groups, case-insensitive).

Kept apart from the rules so that a reader can check the vocabulary at a glance
and a rule reads as a sentence shape ("VICTIM ... HARMED") rather than a wall of words.
"""

from __future__ import annotations

QUAL = (r"(?:at\s+least|more\s+than|over|about|around|nearly|almost|some|up\s+to|approximately|"
        r"roughly|as\s+many\s+as|an\s+estimated|fewer\s+than|less\s+than|at\s+most|a\s+further|another)")

# Numbers as news writes them: digits with separators, or words.
NUM = (r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|"
       r"eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|"
       r"thirty|forty|fifty|sixty|seventy|eighty|ninety|a\s+hundred|dozens|scores|hundreds|"
       r"several|a\s+dozen)(?:\s+(?:hundred|thousand|million))?")

# People whom the laws of war treat as civilians, as news names them.
VICTIM = (r"(?:civilians?|residents?|people|persons?|inhabitants|villagers|passengers|pedestrians|"
          r"children|child|kids?|bab(?:y|ies)|infants?|toddlers?|teen(?:ager)?s?|boys?|girls?|"
          r"m[ae]n|wom[ae]n|elderly|pensioners?|famil(?:y|ies)|firefighters?|rescuers?|"
          r"(?:para)?medics?|doctors?|nurses?|patients?|journalists?|reporters?|"
          r"aid\s+workers?|volunteers?|workers?|employees?|students?|farmers?|fishermen|"
          r"shoppers|worshippers|refugees|Palestinians|Israelis|Lebanese|Sudanese|Gazans|"
          r"Rohingya|locals|motorists|drivers?|bystanders|teachers?|mothers?|fathers?|"
          r"daughters?|sons?|couple|household\s+members|members\s+of\s+(?:a|one|the)\s+family|"
          r"(?:flight\s+)?attendants?|vendors?|traders?|merchants?|shopkeepers?|shepherds?|herders?|"
          r"labou?rers?|miners?|seafarers?|dockers?|civil\s+servants?|engineers?|electricians?|"
          # community figures: "a village chief", "two elders", "the imam of the mosque"
          r"(?:village|tribal|community|traditional)\s+(?:chiefs?|heads?|leaders?)|elders?|imams?|priests?|"
          r"pastors?|clerics?|monks?|nuns?|pilgrims?|mourners?)")

# Combatants: harm to them is war, not civilian harm.
MIL = (r"(?:soldiers?|troops?|servicem[ae]n|service\s*members?|fighters?|militants?|combatants?|"
       r"officers?|commanders?|generals?|colonels?|majors?|pilots?|crew|marines?|paratroopers?|"
       r"mercenar(?:y|ies)|conscripts?|personnel|gunmen|insurgents?|terrorists?|rebels?|"
       r"jihadists?|militia\w*|guards?|sappers?|snipers?|operatives?|POWs?|PoWs?|"
       r"prisoners\s+of\s+war|Hamas\s+members|Hezbollah\s+members|invaders|occupiers|recruits)")

HARMED = (r"(?:killed|dead|died|injured|wounded|hurt|maimed|hospitali[sz]ed|shot\s+dead|gunned\s+down|"
          r"massacred|executed|beaten|burned\s+to\s+death|taken\s+to\s+hospital|among\s+the\s+(?:dead|casualties)|"
          r"lost\s+their\s+lives|(?:trapped|buried)\s+under\s+(?:the\s+)?rubble|"
          r"succumbed\s+to\s+(?:(?:his|her|their|the)\s+)?(?:wounds|injuries)|beheaded|lynched|stabbed|"
          r"hacked\s+to\s+death|burned\s+alive|tortured\s+to\s+death)")

# Civilian objects whose damage or loss is civilian harm.
INFRA = (r"(?:(?<!non-)residential\s+(?:buildings?|blocks?|areas?|hous(?:e|es|ing)|districts?|"
         r"neighbou?rhoods?|quarters?)|apartment\s+(?:buildings?|blocks?|complex)|"
         r"(?:high|multi)-(?:rise|stor(?:e)?y)\s+(?:buildings?|blocks?)|blocks?\s+of\s+flats|"
         r"homes?|houses?|dwellings?|hospitals?|clinics?|maternity\s+\w+|schools?|kindergartens?|"
         r"nurser(?:y|ies)|universit(?:y|ies)|churche?s?|mosques?|synagogues?|"
         r"power\s+(?:plants?|stations?|lines?|grid|facilit(?:y|ies)|infrastructure)|"
         r"electricity\s+(?:grid|network|infrastructure)|energy\s+(?:infrastructure|facilit(?:y|ies)|grid)|"
         r"substations?|thermal\s+power|(?:water\s+|sewage\s+)?pumping\s+stations?|water\s+(?:wells?|towers?|pumps?|"
         r"points?|tanks?|reservoirs?|utility)|boreholes?|desalination\s+(?:plants?|units?|facilit(?:y|ies))|"
         r"boiler\s+(?:houses?|rooms?|plants?)|health\s+(?:centres?|centers?|facilit(?:y|ies)|posts?|clinics?)|"
         r"medical\s+(?:centres?|centers?|facilit(?:y|ies))|ambulances?|care\s+homes?|orphanages?|"
         r"(?:heating|water|gas)\s+(?:supply|supplies|network|pipelines?|"
         r"mains|plants?|stations?|infrastructure)|water\s+treatment\s+\w+|dams?|"
         r"civilian\s+(?:infrastructure|objects?|facilit(?:y|ies)|targets?|buildings?|areas?)|"
         r"(?:displacement|refugee)\s+camps?|(?:bomb\s+)?shelters?|shopping\s+(?:centre|center|mall)|"
         r"supermarkets?|(?:a|the)\s+(?:town\s+|city\s+|local\s+|crowded\s+|busy\s+)?market|"
         r"bakery|bakeries|caf[eé]s?|restaurants?|(?:railway|train|bus)\s+stations?|"
         r"passenger\s+trains?|(?:civilian|passenger)\s+(?:vehicles?|cars?|bus(?:es)?)|playgrounds?|"
         r"food\s+(?:warehouses?|distribution\s+(?:points?|sites?|centres?|centers?))|"
         r"(?:un|aid|humanitarian|relief|wfp|unicef|unrwa|unhcr|red\s+cross|ngo)\s+(?:warehouses?|stores?|"
         r"depots?|compounds?|offices?|premises|facilit(?:y|ies)|convoys?)|"
         r"warehouses?\s+(?:holding|storing|full\s+of|of)\s+(?:food|aid|grain|flour|wheat|medicines?|supplies)|"
         r"energy\s+(?:system|network|infrastructure)|(?:commercial|civilian|passenger)\s+(?:aircraft|planes?|"
         r"flights?|airliners?|ships?|vessels?|ferr(?:y|ies)|trains?))")

ATTACK = (r"(?:strikes?|struck|attacks?|attacked|shell(?:s|ed|ing)?|bomb\w*|drones?|missiles?|"
          r"rockets?|artillery|air\s*raids?|airstrikes?|air\s+strikes?|explosions?|blasts?|"
          r"shrapnel|debris|gunmen|gunfire|shooting|shot|raid(?:s|ed)?|fighting|clash(?:es|ed)?|"
          r"offensives?|assaults?|hostilities|combat|front\s*lines?|mortars?|landmines?|(?:anti-personnel\s+)?mines|militants|forces|army|troops|"
          r"occupiers|invaders|war|glide\s+bombs?|shahed|kamikaze|munitions?|fire\s+from|military|"
          r"operations?|storm(?:s|ed|ing)?|seiz(?:e|es|ed|ing)|overr[au]n|rebels?|gangs?|fighters|militias?|"
          r"paramilitar(?:y|ies)|advance[sd]?|incursion|invasion|loot(?:ed|ing)|violence|abduct\w*|"
          r"arson|torched|burned|burnt|set\s+fire|armed\s+(?:groups?|men)|m23|rsf|rapid\s+support|hamas|"
          r"hezbollah|houthis?|wagner|al[- ]shabaab|ieds?|vbieds?|improvised\s+explosive|explosives?|detonat\w*|"
          r"suicide\s+bomb\w*|car\s+bomb\w*|jnim|isis|islamic\s+state|janjaweed|junta|settlers|lynch\w*|behead\w*)")

# Outside powers whose forces joining a war widen it.
FOREIGN = (r"(?:North\s+Korean?s?|DPRK|Pyongyang|Korean\s+People['’]s\s+Army|KPA|Iranian|Belarusian|Chinese|"
           r"Cuban|Chechen(?=\s+unit)|Rwandan|Eritrean|Burundian|"
           r"(?:foreign|Western|NATO|European|French|British|American|US|U\.S\.|third-country|outside)\s+"
           r"(?:troops|soldiers|ground\s+forces|boots|fighters|mercenaries|instructors|contingent|units|"
           r"military\s+personnel|volunteers))")

TROOPS = (r"(?:troops?|soldiers|forces|units|servicemen|personnel|recruits|brigades?|battalions?|"
          r"(?:military|combat|army)\s+(?:engineers|advisers|advisors|specialists)|sappers|"
          r"(?:artillery\s+)?crews|gunners|artillerymen|operators|"
          r"fighters|contingent|special\s+(?:operation\s+)?forces|instructors|mercenaries|"
          r"boots\s+on\s+the\s+ground)")

# Who receives aid in the conflicts frontwire follows, and people in need anywhere (a
# recipient must be named, or "$5bn in support" from a markets story would count;
# rules_aid.has_recipient also accepts any capitalised name in a war or crisis update).
RECIPIENT = (r"(?:Ukrain\w*|Kyiv|Kiev|Gaza\w*|Palestin\w+|West\s+Bank|UNRWA|Sudan\w*|Lebanon|"
             r"Lebanese|Israel|Syria\w*|Yemen\w*|Myanmar|Rohingya|Haiti|Afghan\w*|Armenia\w*|"
             r"Moldova|Taiwan|refugees|displaced|civilians|war-torn|war-hit|famine|Darfur|"
             r"Khartoum|El\s+Fasher|Russia|Moscow|Tigray|Sahel|Mali|Burkina|Niger|Somalia|DRC|"
             r"Congo|Hodeidah|Rafah|Kharkiv|Odesa|Zaporizhzhia|front\s*lines?|the\s+front|frontline|"
             r"(?:displaced|affected|vulnerable|war-affected|conflict-affected|needy|besieged)\s+"
             r"(?:families|people|persons|households|communities|civilians|population)|"
             r"families|households|survivors|returnees|evacuees|internally\s+displaced|idps?|"
             r"(?:the\s+)?(?:besieged|encircled|war-torn|devastated)\s+(?:city|town|enclave|region|strip)|"
             r"brigades?|hospitals|clinics|shelters|(?:displacement|refugee)\s+camps|the\s+(?:city|town|enclave|strip))")

# What aid is made of, as news names it: kinds of assistance and the goods delivered.
AID_KIND = (r"(?:(?:new\s+|fresh\s+|additional\s+|further\s+|another\s+|latest\s+|emergency\s+)*"
            r"(?:(?:military|humanitarian|financial|economic|security|food|medical|lethal|defen[cs]e|"
            r"budget|winter|energy|macro-financial|reconstruction)\s+(?:aid|assistance|support|"
            r"package|supplies|equipment|help|funding)|aid\s*(?:package|packages|convoys?|shipments?|"
            r"trucks|lorries|deliveries|delivery|flights?|tranche)?|(?:arms|weapons|military)\s+"
            r"(?:package|packages|shipments?|deliveries|supplies)|loans?|grants?|tranche|"
            r"air[- ]defen[cs]e\s+(?:systems?|batter(?:y|ies)|missiles|units)|Patriots?|IRIS-T|NASAMS|"
            r"HIMARS|Leopard|Abrams|F-16s?|Mirage|Gripens?|food\s+parcels|medicines?|tents|generators|"
            r"(?:food|medical|relief|humanitarian|nutrition|winter|shelter|hygiene|emergency|non-food)\s+"
            r"(?:supplies|kits?|items?|rations?|parcels?|assistance|aid|deliveries)|(?:winter|hygiene|shelter|dignity|"
            r"first-aid|trauma|war-wounded)\s+kits?|cash\s+(?:assistance|transfers|distributions|grants)|"
            r"tonnes\s+of\s+(?:food|aid|flour|wheat|medical|medicines?|supplies|relief)|"
            r"(?:anti-personnel\s+)?(?:land)?mines|howitzers|interceptors|armou?red\s+vehicles|ambulances|"
            r"(?:infantry|armou?red)\s+fighting\s+vehicles|(?:armou?red\s+)?personnel\s+carriers|combat\s+vehicles|"
            r"surgical\s+(?:kits?|supplies)|credit\s+lines?|export(?:-finance|\s+finance)?\s+credits?|export[- ]financ(?:e|ing)))")
WEAPONS = (r"(?:weapons|arms|tanks|(?:infantry|armou?red)\s+fighting\s+vehicles|armou?red\s+personnel\s+carriers|"
           r"personnel\s+carriers|(?:combat|armou?red|military)\s+vehicles|apcs|ifvs|"
           r"artillery(?:\s+shells|\s+rounds)?|shells|ammunition|howitzers|"
           r"drones|missiles|rockets|munitions|armou?red\s+vehicles|fighter\s+jets|jets|(?:land)?mines|"
           r"interceptors|air[- ]defen[cs]e\s+systems|helicopters|combat\s+aircraft)")
# Humanitarian agencies: what they hand out is aid by what they are.
AGENCIES = (r"(?:unicef|wfp|unhcr|iom|icrc|msf|ocha|unrwa|unfpa|undp|fao|world\s+food\s+programme|red\s+cross|"
            r"red\s+crescent|norwegian\s+refugee\s+council|save\s+the\s+children|oxfam|care\s+international|"
            r"m[ée]decins\s+sans\s+fronti[èe]res|doctors\s+without\s+borders|world\s+health\s+organi[sz]ation)")
