<?php
// webhook.php: refund-desk's webhooks. Verified over this request's own
// path and query, deduplicated on the event id in the same transaction as
// its effect: 200 when handled (or seen before), 400 when the signature is
// bad, 500 (the desk retries) when handling failed.
require __DIR__ . '/lib/shop.php';

header('Content-Type: text/plain; charset=utf-8');
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    http_response_code(405);
    exit("POST only\n");
}
try {
    $ev = desk()->verifyWebhook(file_get_contents('php://input'), $_SERVER);
} catch (RefundDesk\SignatureError $e) {
    http_response_code(400);
    exit("bad signature\n");
}
$id = substr((string)$ev['id'], 0, 64);
$pdo = db();
try {
    $pdo->beginTransaction();
    $seen = q('SELECT outcome FROM webhook_events WHERE event_id = ? FOR UPDATE', array($id))->fetchColumn();
    if ($seen !== false) {
        $pdo->rollBack();
        exit("seen before: $seen\n");
    }
    $outcome = handle_event($ev);
    q('INSERT INTO webhook_events (event_id, type, outcome, received_at) VALUES (?, ?, ?, NOW())',
        array($id, substr((string)$ev['type'], 0, 64), $outcome));
    $pdo->commit();
    echo $outcome, "\n";
} catch (Exception $e) {
    if ($pdo->inTransaction()) {
        $pdo->rollBack();
    }
    error_log('demo-shop: webhook ' . $id . ' failed: ' . $e->getMessage());
    http_response_code(500);
    echo "try again\n";
}
