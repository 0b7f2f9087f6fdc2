package be.absencebridge.sim.smartschool;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Smartschool's published error codes with the platform's own Dutch texts: what {@code returnJsonErrorCodes()} answers,
 * all 57 of them, as AbriantoLabs/smartschool-kit {@code tests/client.test.ts} records the live answer (its mock of the
 * endpoint, "kept complete") and Makcime/n8n-nodes-smartschool {@code nodes/SmartSchool/shared/errorCodes.ts} lists
 * them (in English). The texts are the platform's answer, entities included (code 4 carries {@code &lt;br&gt;} as the
 * live answer does). The simulator answers the code of each situation it has; see README "The simulators".
 */
final class SmartschoolErrorCodes {

    /** The web-services password (access code) is wrong; also the answer to a method outside the link's profile (model). */
    static final int WRONG_PASSWORD = 8;
    /** This user does not exist (the kit's tests answer it to {@code getUserDetails} of an unknown user). */
    static final int NO_SUCH_USER = 12;
    /** An unknown error occurred while processing. */
    static final int UNKNOWN_PROCESSING_ERROR = 23;
    /** The date is not valid. */
    static final int INVALID_DATE = 49;
    /** Please give a valid date for the school year. */
    static final int INVALID_SCHOOL_YEAR = 56;

    static final Map<Integer, String> TEXTS;

    static {
        Map<Integer, String> t = new LinkedHashMap<>();
        t.put(1, "De naam dient minimaal uit 2 karakters te bestaan.");
        t.put(2, "De voornaam dient uit minimaal 2 karakters te bestaan.");
        t.put(3, "De gebruikersnaam dient minimaal uit 2 karakters bestaan.");
        t.put(4, "Het nieuwe wachtwoord is niet complex genoeg.&lt;br&gt;Bekijk de voorwaarden voor een wachtwoord of wachtzin "
                + "in de handleiding (Profiel &gt; Gebruikersnaam en wachtwoord).");
        t.put(5, "Er is geen groep geselecteerd.");
        t.put(6, "De gebruikersnaam bestaat reeds.");
        t.put(7, "De wachtwoorden zijn niet identiek.");
        t.put(8, "Het opgegeven webserviceswachtwoord is niet correct.");
        t.put(9, "Deze gebruiker bestaat niet");
        t.put(10, "Er is een fout gebeurd tijdens het verwerken van de gegevens. Er is niets toegepast.");
        t.put(11, "Er is een fout opgetreden tijdens het bewaren van de klasgegevens.");
        t.put(12, "Deze gebruiker bestaat niet");
        t.put(13, "Er is een fout opgetreden tijdens het kopiëren/verplaatsen van de gebruikers naar de opgegeven klas.");
        t.put(14, "Onvoldoende gegeven aangeleverd.");
        t.put(15, "Dubbele gebruikersnaam");
        t.put(16, "Dubbele interne nummer");
        t.put(17, "Er is een fout opgetreden tijdens het bewaren van één of meerdere profielvelden.");
        t.put(18, "Er is een fout opgetreden bij het versturen van het bericht");
        t.put(19, "Parent-ID bestaat niet !");
        t.put(20, "Cursus toevoegen mislukt.");
        t.put(21, "Cursus met zelfde naam aanwezig.");
        t.put(22, "Cursus niet gevonden.");
        t.put(23, "Er is een onbekende fout opgetreden tijdens de verwerking.");
        t.put(24, "Er is reeds een gebruiker aanwezig met dit intern nummer. Gelieve een ander nummer in te geven.");
        t.put(25, "Opgelet, de gebruiker kon niet worden gewijzigd, omdat deze niet bestaat in Smartschool.");
        t.put(26, "Opgelet, de gebruiker kon niet worden toegevoegd, omdat deze reeds bestaat in Smartschool.");
        t.put(27, "Opgelet, het instellingsnummer komt niet voor in Smartschool. Gelieve eerst de instelling toe te voegen.");
        t.put(28, "Het selecteren van een basisrol is verplicht.");
        t.put(29, "U mag de basisrol van deze account niet meer wijzigen.");
        t.put(30, "Enkel leerlingen (basisrol leerling) mogen lid zijn van officiële klassen.");
        t.put(31, "De leerling mag maar lid zijn van één officiële klas.");
        t.put(32, "Een leerling dient lid te zijn van één officiële klas.");
        t.put(33, "Het registeren van de klasbeweging is mislukt.");
        t.put(34, "De leerling kan niet worden geactiveerd omdat hij geen lid is van een officiële klas.");
        t.put(35, "Het instellingsnummer is verplicht bij een officiële klas.");
        t.put(36, "U mag het type van een officiële klas niet wijzigen.");
        t.put(37, "U mag het type van deze klas of groep niet wijzigen omdat sommige leden van deze groep of klas niet de "
                + "basisrol leerling hebben.");
        t.put(38, "U mag het type van deze klas of groep niet wijzigen omdat sommige leden van deze groep of klas reeds lid "
                + "zijn van een andere officiële klas.");
        t.put(39, "U dient een vormingscomponent te selecteren.");
        t.put(40, "U mag de naam van een klas niet meer wijzigen.");
        t.put(41, "U mag het administratiefnummer niet meer wijzigen.");
        t.put(42, "U mag het instellingsnummer niet meer wijzigen.");
        t.put(43, "U mag de vormingscomponent niet meer wijzigen.");
        t.put(44, "De vormingscomponent is verplicht op te geven.");
        t.put(45, "U mag het type van een klas niet wijzigen.");
        t.put(46, "U dient het type van de groep te selecteren.");
        t.put(47, "Er bestaat reeds een klas met dezelfde unieke klas- of groepcode");
        t.put(48, "Het intern nummer bestaat reeds.");
        t.put(49, "De datum is niet geldig");
        t.put(50, "De module 'Skore' is niet geactiveerd");
        t.put(51, "Er is een fout opgetreden tijdens het uitschrijven van de leerling");
        t.put(52, "Dit wachtwoord werd niet toegestaan. Gelieve een ander wachtwoord te kiezen.");
        t.put(53, "De bovenliggende groep werd niet gevonden.");
        t.put(54, "De bovenliggende groep mag geen officiële klas zijn.");
        t.put(55, "Een officiële klas kan geen subgroepen bevatten.");
        t.put(56, "Gelieve een geldige datum op te geven voor het schooljaar");
        t.put(57, "De 'Roostercode' dient uniek te zijn. De waarde die u invulde is reeds in gebruik.");
        TEXTS = Collections.unmodifiableMap(t);
    }

    private SmartschoolErrorCodes() {
    }

    /** {@code returnJsonErrorCodes()}'s answer: code (as a JSON key) to text, in code order. */
    static Map<String, String> asJson() {
        Map<String, String> m = new LinkedHashMap<>();
        TEXTS.forEach((code, text) -> m.put(String.valueOf(code), text));
        return m;
    }
}
