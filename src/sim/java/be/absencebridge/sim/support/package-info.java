/**
 * What the simulators need of the school world and of the wire, written for them apart from the product (DESIGN.md
 * "Layout": they import nothing of the product): the school year, the half-day, the Flemish school calendar, the codes
 * the vendors accept, the server side of a SOAP 1.1 RPC call, the push signer and the body-size limit. A fake peer that
 * shared the adapter's code would hide every error in it from the tests; these are independent witnesses, and where a
 * test compares a simulator's answer with the product's, the comparison checks two readings of the same rule.
 */
package be.absencebridge.sim.support;
