<?php
// receiver.php: a router for `php -S` that stands in for a storefront's
// webhook endpoint (and, under /refund-desk/, for a mounted desk): it writes
// every request (path and query as received, headers, raw body) to
// $RD_SPOOL/NNN.json and answers 200 with {"ok": true}. The tests verify
// what it wrote. Env: RD_SPOOL.
$spool = getenv('RD_SPOOL');
$rec = array(
    'method' => $_SERVER['REQUEST_METHOD'],
    'path' => $_SERVER['REQUEST_URI'],
    'headers' => function_exists('getallheaders') ? getallheaders() : array(),
    'body' => file_get_contents('php://input'),
    'at' => microtime(true),
);
$name = sprintf('%s/%.6f-%d.json', $spool, microtime(true), getmypid());
file_put_contents($name . '.tmp', json_encode($rec));
rename($name . '.tmp', $name);
header('Content-Type: application/json');
echo "{\"ok\":true}\n";
