package be.absencebridge.exchange.translate;

import be.absencebridge.exchange.gate.LinkSettings;
import be.absencebridge.vendor.informat.InformatDirectory;
import be.absencebridge.vendor.smartschool.SmartschoolDirectory;
import org.springframework.stereotype.Component;

import java.io.IOException;

/** The code lists as the bridge's copies of the vendors' data hold them (Informat's directory, Smartschool's settings). */
@Component
class VendorCodeLists implements CodeLists {

    private final InformatDirectory informat;
    private final SmartschoolDirectory smartschool;
    private final LinkSettings links;

    VendorCodeLists(InformatDirectory informat, SmartschoolDirectory smartschool, LinkSettings links) {
        this.informat = informat;
        this.smartschool = smartschool;
        this.links = links;
    }

    @Override
    public String informatMainCode(int locationIdDiscimus, String code) throws IOException {
        return informat.mainCode(locationIdDiscimus, code);
    }

    @Override
    public Integer informatBranchOf(String institutionNumber, String registrationNumber, java.time.LocalDate date) throws IOException {
        InformatDirectory.Student s = informat.studentOn(institutionNumber, registrationNumber, date);
        return s == null ? null : s.locationIdDiscimus();
    }

    @Override
    public boolean isSmartschoolAlias(String institutionNumber, String alias) throws IOException {
        String platform = smartschool.platformOf(institutionNumber);
        // on no platform: the delivery refuses the pupil, not the alias
        return platform == null || links.current().smartschoolDefines(platform, alias);
    }
}
