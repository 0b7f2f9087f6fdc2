"""A second real SOAP client: Python's zeep (Debian python3-zeep) in WSDL mode against a (simulated) Smartschool platform.

Called by SmartschoolZeepClientTest with the WSDL's address, the access code and a date; prints one JSON object with
what the bridge relies on: the register read with aliases (a JSON string), the accounts read (a JSON string), and a
wrong access code answered as an integer, not a fault.
"""
import json
import sys

import zeep


def main():
    wsdl, accesscode, date = sys.argv[1], sys.argv[2], sys.argv[3]
    client = zeep.Client(wsdl)
    service = client.service
    absents = service.getAbsentsWithAliasByDate(accesscode, date)
    accounts = service.getAllAccountsExtended(accesscode, "", "1")
    wrong = service.getAbsentsWithAliasByDate("not-the-access-code", date)
    operations = sorted(client.wsdl.bindings[list(client.wsdl.bindings)[0]]._operations)
    print(json.dumps({
        "absentsType": type(absents).__name__,
        "absents": json.loads(absents),
        "accounts": len(json.loads(accounts)),
        "wrong": str(wrong).strip(),
        "operations": operations,
    }))


if __name__ == "__main__":
    main()
