"""Behaviour of the pure classifier core: what counts as news for each label, and what does not."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from schemas.models import ClassifiedUpdate, Label, Severity, Update
from services.classify.core import Classifier

T = datetime(2024, 10, 21, 12, 0, tzinfo=UTC)
OWN_SET = Path(__file__).resolve().parents[1] / "data" / "classify" / "own-set.jsonl"
H, E, A, P = Label.CIVILIAN_HARM, Label.ESCALATION, Label.AID, Label.PRISONER_EXCHANGE


def make_update(body: str, headline: str | None = None) -> Update:
    return Update(id="u1", source="test", headline=headline, body=body, first_seen_at=T, content_hash="h")


def classify(body: str, headline: str | None = None, **kwargs: float) -> ClassifiedUpdate:
    thresholds = {Label(k): v for k, v in kwargs.items()} or None
    return Classifier(thresholds).classify(make_update(body, headline), classified_at=T)


def test_reports_civilian_harm_from_a_fresh_toll() -> None:
    result = classify("Four civilians were killed and at least 20 injured by Russian shelling of Kherson on Monday.")
    assert result.labels == [H]


@pytest.mark.parametrize("text", [
    "Drones attacked a military airfield in the Rostov region overnight. No casualties were reported.",
    "A missile strike hit the outskirts of the city. There were no injuries, the governor said.",
    "Debris from a downed drone fell near the road; nobody was hurt in the attack.",
])
def test_negated_casualties_are_not_civilian_harm(text: str) -> None:
    assert H not in classify(text).labels


def test_denied_harm_is_not_civilian_harm() -> None:
    result = classify("Moscow denied that its missiles had killed civilians in Kharkiv, saying it struck only "
                      "military targets.")
    assert H not in result.labels


def test_background_toll_in_a_diplomacy_story_is_not_civilian_harm() -> None:
    result = classify("EU ministers met in Brussels to discuss the accession talks. Thousands of civilians have "
                      "been killed since 2022, the statement recalled, calling for a just peace.")
    assert result.labels == []


def test_harm_to_soldiers_or_a_military_depot_is_not_civilian_harm() -> None:
    assert H not in classify("A Ukrainian strike on an ammunition depot killed 30 Russian soldiers, "
                             "the general staff said.").labels
    assert H not in classify("Ukraine says it killed 40 Russian troops near Kurakhove in artillery fire.").labels


def test_evacuation_order_and_utilities_cut_are_civilian_harm() -> None:
    assert H in classify("Residents of Pokrovsk were urged to evacuate as Russian forces advanced.").labels
    assert H in classify("A drone attack knocked out power to 40,000 homes in the Sumy region.").labels


@pytest.mark.parametrize("text", [
    "Pyongyang is said to get Russian help with satellites in exchange for nuclear technology and shells.",
    "The hryvnia was stable on the foreign exchange market as reserves hit a record.",
    "Ukrainian and Russian units exchanged artillery fire across the river overnight.",
])
def test_exchange_lookalikes_are_not_prisoner_exchanges(text: str) -> None:
    assert P not in classify(text).labels


@pytest.mark.parametrize("text", [
    "A court in occupied Donetsk sentenced two Ukrainian prisoners of war to 23 years in prison.",
    "Prosecutors said Russian forces executed four captured Ukrainian soldiers near Selydove.",
])
def test_prisoners_tried_or_executed_are_not_an_exchange(text: str) -> None:
    assert P not in classify(text).labels


def test_swap_and_repatriation_are_prisoner_exchanges() -> None:
    result = classify("Ukraine and Russia exchanged 190 prisoners of war on Friday. Russia also returned "
                      "the bodies of 501 soldiers.")
    assert result.labels == [P]
    assert result.facts.prisoners_exchanged is not None and result.facts.prisoners_exchanged.value == 190


def test_escalating_tensions_in_an_unrelated_region_are_not_escalation() -> None:
    assert classify("Oil rose as escalating tensions in the South China Sea rattled shipping markets.").labels == []


def test_foreign_troops_joining_the_war_are_escalation() -> None:
    result = classify("Seoul's spy agency says 1,500 North Korean soldiers have arrived in Russia and will be "
                      "deployed to the front line.")
    assert result.labels == [E]


def test_not_denying_is_not_a_denial() -> None:
    result = classify("Putin did not deny that North Korean troops are in Russia for deployment in Ukraine.")
    assert E in result.labels


def test_hypothetical_troops_are_not_escalation() -> None:
    assert E not in classify("France said it could send Western troops to Ukraine in the future.").labels


def test_aid_in_the_sporting_or_market_sense_is_not_aid() -> None:
    assert classify("The return of two injured midfielders will aid Ukraine's preparations for the match.").labels == []
    assert classify("Hearing aid maker Demant cut its guidance; shares fell 9%.").labels == []


def test_considering_aid_is_not_aid_but_announcing_it_is() -> None:
    assert A not in classify("South Korea said it was considering whether to supply Ukraine with artillery "
                             "shells.").labels
    result = classify("Germany announced a new €500m military aid package for Ukraine.")
    assert result.labels == [A]
    assert [(m.amount, m.currency) for m in result.facts.aid_amounts] == [(500_000_000, "EUR")]


def test_blocked_aid_and_arms_sales_are_not_aid() -> None:
    assert A not in classify("A $60 billion package of military aid for Ukraine remained blocked in "
                             "Congress.").labels
    assert A not in classify("Poland signed a contract to buy 96 helicopters from the US for $10 billion "
                             "for its army.").labels


def _own_rows() -> list[dict[str, object]]:
    return [json.loads(line) for line in OWN_SET.read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("row", _own_rows(), ids=lambda r: str(r["id"]))
def test_evidence_spans_are_the_text_that_drove_each_label(row: dict[str, object]) -> None:
    text = str(row["text"])
    headline, _, body = text.partition("\n")
    update = make_update(body, headline) if body else make_update(text)
    result = Classifier().classify(update, classified_at=T)
    assert set(result.evidence) == set(result.labels)
    for spans in result.evidence.values():
        assert spans
        for span in spans:
            assert update.text[span.start:span.end] == span.text
            assert span.text.strip() == span.text and span.text


def test_scores_cover_every_label_within_the_unit_interval() -> None:
    result = classify("Four civilians were killed. Germany delivered IRIS-T systems to Ukraine.")
    assert set(result.scores) == set(Label)
    assert all(0.0 <= s <= 1.0 for s in result.scores.values())
    thresholds = Classifier().thresholds
    assert all(result.scores[label] >= thresholds[label] for label in result.labels)


def test_thresholds_are_configurable_per_label() -> None:
    text = "Germany announced a new €500m military aid package for Ukraine."
    result = classify(text)
    assert A in result.labels
    above = min(1.0, result.scores[A] + 0.0001)
    assert A not in classify(text, aid=above).labels or result.scores[A] == 1.0
    assert A in classify(text, aid=0.0).labels
    with pytest.raises(ValueError, match="threshold"):
        Classifier({A: 1.5})


def test_result_carries_version_time_and_update() -> None:
    update = make_update("Nothing happened today.")
    result = Classifier().classify(update, classified_at=T)
    assert result.classifier_version == Classifier().version
    assert result.classified_at == T and result.update == update
    assert result.severity == Severity.LOW and result.labels == []


@pytest.mark.parametrize(("text", "severity"), [
    ("A Russian missile struck a market in Kharkiv, killing 14 civilians.", Severity.CRITICAL),
    ("A drone strike on Sumy killed one woman, officials said.", Severity.HIGH),
    ("Russian lawmakers ratified a mutual defence treaty with North Korea.", Severity.HIGH),
    ("Debris injured one man in Kyiv after a drone attack.", Severity.MEDIUM),
    ("Germany announced a new €500m military aid package for Ukraine.", Severity.MEDIUM),
])
def test_severity_follows_facts_and_labels(text: str, severity: Severity) -> None:
    assert classify(text).severity == severity


# --- general behaviours of rules-1.1 (texts written for these tests; invented places) ---

def test_version_names_the_rule_set_and_the_model() -> None:
    assert Classifier().version == f"{Classifier.RULES_VERSION}+model-1"


def test_a_year_before_the_update_is_background_and_a_later_one_is_not() -> None:
    assert H not in classify("In 2019, three civilians were killed by shelling in the village, the court heard.").labels
    assert A in classify("Belmont will deliver 12 more air-defence systems to Ovella in 2025.").labels


def test_a_marker_set_off_after_the_news_describes_it_rather_than_dating_it() -> None:
    text = "A drone hit a power station in Karlow overnight, the first strike on the city since 2022."
    assert H in classify(text).labels
    assert H not in classify("Thousands of civilians have been killed and millions displaced since 2022.").labels


def test_how_long_captives_were_held_is_not_background() -> None:
    result = classify("Tarsk and Ovella swapped 40 prisoners each, including civilians held since 2021.")
    assert result.labels == [P]


@pytest.mark.parametrize("text", [
    "Belmont will lend Tarsk 300 million euros to rebuild its grid, the finance ministry said.",
    "The Nordic development fund disbursed a €60m grant to the Ovellan energy ministry.",
    "Relief agencies reached 220,000 people with emergency food assistance in Brenna province.",
    "A 9-truck UN convoy delivered flour and medicines to Karlow on Monday.",
])
def test_aid_to_any_named_party_or_people_in_need_is_aid(text: str) -> None:
    assert A in classify(text).labels


@pytest.mark.parametrize("text", [
    "The government approved €20 million in aid to farmers whose harvests were ruined by drought.",
    "Kyiv used US-supplied missiles against a bridge in occupied territory, the general staff said.",
    "The ministry said its forces delivered a massive strike with precision weapons against fuel depots.",
    "A presidential convoy arrived at the summit venue in Karlow under heavy security.",
    "Citigroup announced new loans to Tesla worth $2bn.",
    "The army said its drones destroyed a cargo plane delivering weapons to the rebels in Brenna.",
])
def test_domestic_relief_supplied_weapons_strikes_and_motorcades_are_not_aid(text: str) -> None:
    assert A not in classify(text).labels


@pytest.mark.parametrize("text", [
    "Police freed two hostages in a raid on a bank and arrested the gunman.",
    "Inmates broke out of the city prison during a riot; the guards they held hostage were later freed.",
    "Prisoners of war were transferred to a camp further east, citing testimony from released captives.",
])
def test_rescues_breakouts_and_transfers_are_not_releases(text: str) -> None:
    assert P not in classify(text).labels


@pytest.mark.parametrize("text", [
    "Today 64 defenders returned home from captivity, the coordination centre said.",
    "The armed group released the 19 crew members of a seized grain ship after eight months in captivity.",
    "The militia hands the bodies of three captives to the Red Cross at the crossing.",
])
def test_homecomings_crew_releases_and_handed_bodies_are_prisoner_exchanges(text: str) -> None:
    assert P in classify(text).labels


@pytest.mark.parametrize("text", [
    "About 2,000 Belmontian troops are now fighting alongside the rebels inside Tarsk, UN experts said.",
    "The treaty between Tarsk and Ovella, with its clause on mutual military assistance in the event of "
    "aggression, entered into force on Monday.",
    "Tarskan forces have crossed the border into Ovella's Brenna province, officials said.",
    "A drone launched from Tarsk struck a depot in Karlow, the first Tarskan attack to reach the capital.",
    "Belmont said Ovella could now use Belmontian-supplied missiles against targets on Tarskan territory.",
    "The former president said European troops in Ovella would mean \"direct war\" between nuclear-armed "
    "Tarsk and NATO.",
    "Belmont will supply Ovella with cluster munitions, the defence ministry said.",
    "Tarskan tanks rolled into Brenna on Friday as the long-threatened ground offensive began.",
])
def test_outside_forces_pacts_new_reach_permissions_and_offensives_are_escalation(text: str) -> None:
    assert E in classify(text).labels


@pytest.mark.parametrize("text", [
    "The first attack on Karlow in three weeks damaged a warehouse on the outskirts.",
    "The new trade agreement between Belmont and Tarsk entered into force on Monday, cutting tariffs.",
    "Rescuers launched a large-scale operation to evacuate civilians from the flooded district.",
    "The chancellor said a country at war cannot become a member of NATO.",
    "Our team's first direct flight to the away match leaves on Friday.",
])
def test_recency_trade_pacts_negated_membership_and_flights_are_not_escalation(text: str) -> None:
    assert E not in classify(text).labels


@pytest.mark.parametrize("text", [
    "On 3 March, military forces of Tarsk shelled a residential area of Ovella, killing 4 civilians.",
    "Around 12,000 residents fled the Brenna district as armed groups advanced, officials said.",
    "Militia fighters stormed a displacement camp outside Ovella on Tuesday, witnesses said.",
    "The army orders residents of four border villages to leave immediately and head west.",
    "Since 12 June, an estimated 18,500 people have been displaced from Brenna district, the monitor says.",
    "Two aid workers were beaten and taken to hospital after gunmen stopped their convoy.",
])
def test_acled_style_tolls_flight_evacuation_orders_and_displacement_are_civilian_harm(text: str) -> None:
    assert H in classify(text).labels


@pytest.mark.parametrize("text", [
    "Tens of thousands of people were displaced by flooding along the river, the weather service said.",
    "Investors fled emerging-market bonds after the central bank's surprise rate rise.",
    "The agency will deliver food to people fleeing the fighting, it said.",
])
def test_disasters_markets_and_aid_purposes_are_not_civilian_harm(text: str) -> None:
    assert H not in classify(text).labels


@pytest.mark.parametrize("text", [
    "Mortar fire hit a clinic in Ovella on Sunday, wounding three nurses; the rebel command denied any "
    "involvement.",
    "A glide bomb struck a bakery in Karlow, killing two people; Tarsk denied responsibility and blamed "
    "Ovellan forces.",
])
def test_a_denial_of_who_did_it_leaves_the_reported_harm(text: str) -> None:
    assert H in classify(text).labels


@pytest.mark.parametrize("text", [
    "A tribunal in Brenna convicted two officers of shelling a hospital that killed 14 patients.",
    "Judges issued arrest warrants for three commanders over strikes on Karlow's power grid.",
    "Power was cut to 3,000 homes in Karlow after a storm brought down lines overnight.",
])
def test_court_charges_and_storms_are_not_news_of_war_harm(text: str) -> None:
    assert H not in classify(text).labels


@pytest.mark.parametrize("text", [
    "Water and electricity were cut off in eastern Karlow after the overnight drone attack.",
    "Shelling around Ovella has driven about 8,000 more people across the river into Belmont.",
    "Residents of the camp were forced to leave after militia fighters gave them a day to go.",
    "The ministry condemned the burning of two schools in Brenna by armed men.",
])
def test_utilities_cut_people_driven_out_and_nominal_attacks_are_civilian_harm(text: str) -> None:
    assert H in classify(text).labels


@pytest.mark.parametrize("text", [
    "Belmont dropped its veto and ministers approved a €2 billion fund for Ovella's army.",
    "Tarsk's neighbour will give Ovella €300 million to buy air-defence interceptors.",
    "UNICEF delivered water tanks and hygiene kits to displaced families in Brenna.",
    "The first batch of Belmontian fighter jets has arrived in Ovella, the air force said.",
    "Some 90 trucks crossed into Brenna on Monday, the UN humanitarian office said.",
])
def test_undone_vetoes_purchases_agencies_arrivals_and_trucks_are_aid(text: str) -> None:
    assert A in classify(text).labels


@pytest.mark.parametrize("text", [
    "Belmont's parliament voted down a motion to send tanks to Ovella.",
    "The Red Cross provided figures on the number of people missing in Brenna.",
    "Tarskan missiles arrived in waves over Karlow shortly after midnight.",
])
def test_refused_arms_agency_figures_and_missile_waves_are_not_aid(text: str) -> None:
    assert A not in classify(text).labels


@pytest.mark.parametrize("text", [
    "The rebels freed an Ovellan engineer abducted near Brenna in May, the ministry said.",
    "The two armies swapped 40 prisoners on Friday, the first exchange since talks broke down in March.",
])
def test_releases_of_anyone_held_and_swaps_after_broken_talks_are_prisoner_exchanges(text: str) -> None:
    assert P in classify(text).labels


@pytest.mark.parametrize("text", [
    "Government forces freed six villagers held by jihadists in a military operation near Brenna.",
    "Police in Karlow released 30 protesters detained overnight after they paid fines.",
])
def test_rescues_by_forces_and_police_releases_are_not_prisoner_exchanges(text: str) -> None:
    assert P not in classify(text).labels


@pytest.mark.parametrize("text", [
    "Tarskan troops pushed into Brenna on Sunday in a major new offensive, the general staff said.",
    "Tarskan units moved beyond the ceasefire line and took up positions inside Ovella.",
    "Officials in Moscow said Pyongyang would send another 2,000 soldiers to the front in the spring.",
    "Belmont's jets struck rebel positions, joining the Ovellan air campaign against the group.",
    "Belmont decided to deliver long-range cruise missiles to Ovella, the defence minister said.",
    "Ovellan drones hit an oil terminal 1,600 km from the border, the deepest strike of the war.",
])
def test_offensives_crossings_reported_decisions_joined_campaigns_and_new_ranges_are_escalation(text: str) -> None:
    assert E in classify(text).labels


@pytest.mark.parametrize("text", [
    "Ovella warned of a possible new offensive on Brenna this summer.",
    "Ovella again asked for permission to strike targets across the border with Belmontian missiles.",
    "Thousands joined the campaign against the war at a rally in Karlow.",
    "Tarskan tanks crossed the border into Ovella in February 2019, the museum exhibit recalls.",
])
def test_warnings_requests_protests_and_old_crossings_are_not_escalation(text: str) -> None:
    assert E not in classify(text).labels


@pytest.mark.parametrize("text", [
    "The army ordered residents of the riverside blocks to leave \"at once\" and head west before the air raids.",
    "Shelling went on overnight after soldiers told villagers near the depot to leave.",
    "Residents of four streets in Brenna were told to leave as artillery fire crept closer.",
    "The military posted a map telling families in the old town to move north of the canal ahead of strikes.",
])
def test_evacuation_orders_in_any_wording_are_civilian_harm(text: str) -> None:
    assert H in classify(text).labels


@pytest.mark.parametrize("text", [
    "Stewards told fans to leave the stadium after a bomb hoax during the match.",
    "Residents were told to leave their cars at home during the military parade.",
])
def test_being_told_to_leave_a_venue_or_a_car_is_not_an_evacuation(text: str) -> None:
    assert H not in classify(text).labels


@pytest.mark.parametrize("text", [
    "Most of Brenna is without running water after a drone strike on a pumping station.",
    "A missile strike on a Malta-flagged bulk carrier killed two crew members, the shipping agency said.",
    "A man succumbed to his wounds two days after a glide bomb hit his street in Karlow.",
    "Rescuers pulled a boy from the rubble of a block hit by a missile; the strike left 40 families homeless.",
])
def test_water_cuts_merchant_crews_deaths_from_wounds_and_the_homeless_are_civilian_harm(text: str) -> None:
    assert H in classify(text).labels


@pytest.mark.parametrize("text", [
    "A fire in the engine room of a cargo ship in port killed two crew members.",
    "A tribunal sentenced two soldiers for killing civilians at a checkpoint in 2022.",
    "On 3 May 2025, UNHCR distributed tents to 900 displaced households in Kalbo.",
])
def test_accidents_court_cases_and_aid_recipients_are_not_civilian_harm(text: str) -> None:
    assert H not in classify(text).labels


@pytest.mark.parametrize("text", [
    "The Pentagon will buy $300 million worth of interceptors from US makers for Ukraine.",
    "A consignment of shells bought under the Nordic ammunition scheme arrived in Ukraine on Monday.",
    "The last of the 18 jets Oslo pledged has now been delivered to Ukraine.",
    "The IMF board approved its review of Ukraine's programme, releasing about $900m to Kyiv.",
    "Ukraine received €2bn, a loan to be repaid from the profits of frozen Russian assets.",
    "The howitzers will be paid for with a state credit extended to Moldova.",
])
def test_purchases_for_a_party_deliveries_disbursements_and_credits_are_aid(text: str) -> None:
    assert A in classify(text).labels


@pytest.mark.parametrize("text", [
    "Romania bought 54 tanks from the United States for its own army.",
    "The chancellor ruled out sending long-range missiles to Ukraine.",
    "Mortar shells landed in a residential area of Karlow overnight.",
    "Ukraine faces a financing gap of $9bn next year, the central bank warned.",
])
def test_own_purchases_refusals_shelling_and_funding_gaps_are_not_aid(text: str) -> None:
    assert A not in classify(text).labels


@pytest.mark.parametrize("text", [
    "The junta pardoned 2,000 prisoners to mark the holiday, among them 150 people jailed for protesting.",
    "The crew, held by the rebels since their ship was seized, were flown home after their release.",
    "Ovella handed 20 Belmontian servicemen over to Belmont, and Belmont released five Ovellan soldiers in return.",
    "The bodies of 300 fallen soldiers were handed to Ukraine on Friday.",
    "Sixty Ukrainian defenders are back home after an exchange mediated by the UAE.",
])
def test_pardons_handovers_and_returns_after_a_swap_are_prisoner_exchanges(text: str) -> None:
    assert P in classify(text).labels


@pytest.mark.parametrize("text", [
    "The minister went back to work a week after his release from hospital.",
    "Ovella handed a protest note over to Belmont's ambassador.",
    "Amnesty International said soldiers returned to the village to threaten witnesses.",
])
def test_hospital_releases_protest_notes_and_amnesty_international_are_not_prisoner_exchanges(text: str) -> None:
    assert P not in classify(text).labels


@pytest.mark.parametrize("text", [
    "A treaty obliging the two states to come to each other's aid if either is attacked entered into force.",
    "The three juntas signed a pact binding them to defend one another against any aggression.",
    "Paris has lifted its restriction on the use of SCALP missiles against targets inside Russia.",
    "The army says it has begun \"limited\" ground raids into southern Lebanon, its first ground operation there "
    "since 2006.",
    "Belmont troops crossed into Ovella and joined rebel positions north of the capital.",
    "About 200 soldiers arrived in Brenna to help the Ovellan junta fight jihadist insurgents.",
    "Tarsk fired 90 missiles at Ovella, its second direct attack on Ovellan territory this year.",
    "Belmont's jets struck the plant, directly joining Ovella's war on Tarsk.",
])
def test_pacts_with_a_defence_clause_lifted_limits_new_ground_operations_and_outside_forces_are_escalation(
        text: str) -> None:
    assert E in classify(text).labels


@pytest.mark.parametrize("text", [
    "The two leaders signed a trade accord that commits both countries to defend each other's steel industries.",
    "Britain lifted its restriction on visas for students from Ukraine.",
    "Police were deployed to Brenna to help the army fight looters after the storm.",
    "Ground troops began operations in the flooded districts to rescue stranded residents.",
    "As the war enters its fourth year, both armies are exhausted.",
])
def test_trade_pacts_visas_domestic_deployments_rescues_and_anniversaries_are_not_escalation(text: str) -> None:
    assert E not in classify(text).labels


@pytest.mark.parametrize("text", [
    "Indian jets struck three sites in Pakistan overnight, the defence ministry said.",
    "Ostrian troops with tanks crossed into Russia's Bryansk region at dawn.",
    "The army said it had begun a \"broad campaign\" of air strikes against the militia across the north.",
    "North Korea has sent 2,000 more soldiers to Russia, and they are expected at the front next week.",
    "The cabinet approved a plan to expand the ground offensive into the city.",
])
def test_new_fronts_campaigns_and_state_on_state_strikes_are_escalation(text: str) -> None:
    assert Label.ESCALATION in classify(text).labels


@pytest.mark.parametrize("text", [
    "Israeli aircraft struck Iran-backed militia depots in Syria.",
    "Tehran warned Washington against attacking Iranian nuclear sites.",
    "Allied troops crossed into Poland for the annual exercises.",
    "The ministry launched a new campaign against corruption in the army.",
    "Seoul condemned North Korea's troop deployment to Russia.",
    "North Korean soldiers and equipment could be sent to Russia, officials said.",
])
def test_proxies_warnings_drills_and_cited_deployments_are_not_escalation(text: str) -> None:
    assert Label.ESCALATION not in classify(text).labels


def test_an_agency_receiving_bodies_is_no_aid_and_an_anniversary_toll_is_no_harm() -> None:
    assert Label.AID not in classify("The ICRC said it had received the bodies of 20 detainees handed over "
                                     "by the army.").labels
    assert Label.CIVILIAN_HARM not in classify("The town marks ten years since the massacre, in which 300 "
                                               "civilians were killed.").labels
