<?php
// receiver.php: a router for `php -S` that stands in for a storefront's
// webhook endpoint (and, under /refund-desk/, for a mounted desk): it writes
// every request (path and query as received, headers, raw body) to
// $RD_SPOOL/NNN.json and answers 200 with {"ok": true}. The tests verify
// what it wrote. Under /hook.php it is also a webhook receiver written as a
// shop would write one: verifyWebhook() with $_SERVER and the default path
// (REQUEST_URI); a refused webhook gets 400. Env: RD_SPOOL, RD_WEBHOOK_SECRET.
require dirname(__DIR__, 2) . '/php/RefundDesk.php';
if (strpos($_SERVER['REQUEST_URI'], '/slow/') === 0) {
    // A desk that takes 1.5 s to answer: for the client's total deadline.
    usleep(1500000);
    header('Content-Type: application/json');
    echo "{\"ok\":true}\n";
    return;
}
$spool = getenv('RD_SPOOL');
$verdict = null;
if (strpos($_SERVER['REQUEST_URI'], '/hook.php') === 0) {
    $desk = new RefundDesk\Client('http://unused.invalid', 'unused', array('webhook_secret' => getenv('RD_WEBHOOK_SECRET')));
    try {
        $event = $desk->verifyWebhook(file_get_contents('php://input'), $_SERVER);
        $verdict = 'ok ' . $event['id'];
    } catch (RefundDesk\SignatureError $e) {
        $verdict = 'refused: ' . $e->getMessage();
    }
}
$rec = array(
    'method' => $_SERVER['REQUEST_METHOD'],
    'path' => $_SERVER['REQUEST_URI'],
    'headers' => function_exists('getallheaders') ? getallheaders() : array(),
    'body' => file_get_contents('php://input'),
    'at' => microtime(true),
    'verdict' => $verdict,
);
$name = sprintf('%s/%.6f-%d.json', $spool, microtime(true), getmypid());
file_put_contents($name . '.tmp', json_encode($rec));
rename($name . '.tmp', $name);
header('Content-Type: application/json');
if ($verdict !== null && strpos($verdict, 'ok ') !== 0) {
    http_response_code(400);
    echo json_encode(array('error' => $verdict)), "\n";
    return;
}
echo "{\"ok\":true}\n";
