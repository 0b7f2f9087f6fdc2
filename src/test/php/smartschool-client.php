<?php
// PHP's own SoapClient in WSDL mode, as most Smartschool integrations use it, against a simulated platform.
// Arguments: the WSDL's address, the access code, a date. Prints what it read as one JSON object.
[$script, $wsdl, $accesscode, $date] = $argv;
$client = new SoapClient($wsdl, ['cache_wsdl' => WSDL_CACHE_NONE, 'exceptions' => true]);
$absents = $client->getAbsentsWithAliasByDate($accesscode, $date);
$wrong = $client->getAbsentsWithAliasByDate('not-the-access-code', $date);
$codes = $client->returnJsonErrorCodes();
$accounts = $client->getAllAccountsExtended($accesscode, '', '1');
echo json_encode([
    'absentsType' => gettype($absents),
    'absents' => json_decode($absents, true),
    'wrongType' => gettype($wrong),
    'wrong' => $wrong,
    'codes' => json_decode($codes, true),
    'accounts' => count(json_decode($accounts, true)),
    'functions' => $client->__getFunctions(),
]);
