package be.absencebridge.exchange.translate;

import java.io.IOException;

/** The code lists translation looks up in the packages: Informat's subcodes per branch, Smartschool's aliases. */
public interface CodeLists {

    /** The main code of an Informat code in a branch (a main code, or a subcode the branch defines); null when unknown. */
    String informatMainCode(int locationIdDiscimus, String code) throws IOException;

    /** The Informat branch of a pupil; null when Informat does not know them. */
    Integer informatBranchOf(String institutionNumber, String registrationNumber, java.time.LocalDate date) throws IOException;

    /** Whether the Smartschool platform of the institution defines this alias. */
    boolean isSmartschoolAlias(String institutionNumber, String alias) throws IOException;
}
