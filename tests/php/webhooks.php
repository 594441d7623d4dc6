<?php
// webhooks.php: verifyWebhook on real webhooks that `refund-desk worker
// --once` sends to receiver.php (a shop-style receiver at /hook.php with a
// query), and on tampered and stale copies of them.
// Env: RD_URL, RD_API_SECRET, RD_WEBHOOK_SECRET, RD_CONFIG, RD_BIN, RD_DIR,
// RD_SPOOL, RD_RECEIVER.
require __DIR__ . '/lib.php';
require dirname(__DIR__, 2) . '/php/RefundDesk.php';

use RefundDesk\Client;

$desk = new Client(need_env('RD_URL'), need_env('RD_API_SECRET'),
    array('webhook_secret' => need_env('RD_WEBHOOK_SECRET')));
// A query, with a percent-escape: the signed path is the request target as sent.
$hookPath = '/hook.php?shop=1&name=%E5%BA%97';

// One refund approved at once (an unused card, changed mind, original path):
// refund.approved with recycle_item, then refund.payout_requested.
$o = order_body();
$desk->registerOrder($o);
$desk->reportDelivery($o['order_no'], array('state' => 'delivered', 'kind' => 'card_key', 'at' => time() - 60));
$desk->reportUsage($o['order_no'], array('redeemed' => false));
$refundId = buyer_refund($desk->startUrl($o['order_no'], $o['buyer_id']), $o['order_no'], 'changed_mind', 'original');
worker_once(array('url' => need_env('RD_RECEIVER') . $hookPath, 'secret' => need_env('RD_WEBHOOK_SECRET')));

/** The webhooks receiver.php got about our refund: [[record, event], ...]. */
function ours($refundId)
{
    $out = array();
    foreach (spooled('/hook.php') as $r) {
        $e = json_decode($r['body'], true);
        if (isset($e['data']['refund_id']) && $e['data']['refund_id'] === $refundId) {
            $out[] = array($r, $e);
        }
    }
    return $out;
}

$got = ours($refundId);

t('worker --once delivered refund.approved (recycle_item) and refund.payout_requested', function () use ($got) {
    $types = array();
    foreach ($got as $re) {
        $types[$re[1]['type']] = $re[1];
    }
    check(isset($types['refund.approved']), 'no refund.approved among ' . implode(', ', array_keys($types)));
    check(isset($types['refund.payout_requested']), 'no refund.payout_requested');
    eq(true, $types['refund.approved']['data']['recycle_item'], 'recycle_item');
    check(is_string($types['refund.approved']['id']) || is_int($types['refund.approved']['id']), 'event id');
});

t('the receiver verified each with verifyWebhook($raw, $_SERVER) and REQUEST_URI', function () use ($got, $hookPath) {
    check($got !== array(), 'nothing delivered');
    foreach ($got as $re) {
        eq($hookPath, $re[0]['path'], 'the request target as the receiver saw it');
        eq('ok ' . $re[1]['id'], $re[0]['verdict'], $re[1]['type']);
    }
});

t('verifyWebhook returns the decoded event for the recorded request', function () use ($got, $desk, $hookPath) {
    foreach ($got as $re) {
        $ev = $desk->verifyWebhook($re[0]['body'], $re[0]['headers'], $hookPath);
        eq($re[1], $ev);
    }
});

t('tampered, re-pathed, wrongly keyed and stale copies are refused', function () use ($got, $desk, $hookPath) {
    $apiKeyed = new Client(need_env('RD_URL'), need_env('RD_API_SECRET'));
    foreach ($got as $re) {
        list($r, $e) = $re;
        $h = $r['headers'];
        $cases = array(
            'body amount changed' => function () use ($desk, $r, $h, $hookPath) {
                $desk->verifyWebhook(preg_replace('/"refund_amount":(\d+)/', '"refund_amount":1$1', $r['body']), $h, $hookPath);
            },
            'type changed' => function () use ($desk, $r, $h, $hookPath) {
                $desk->verifyWebhook(str_replace('refund.', 'escrow.', $r['body']), $h, $hookPath);
            },
            'query dropped' => function () use ($desk, $r, $h) {
                $desk->verifyWebhook($r['body'], $h, '/hook.php');
            },
            'another receiver path' => function () use ($desk, $r, $h) {
                $desk->verifyWebhook($r['body'], $h, '/other.php?shop=1&name=%E5%BA%97');
            },
            'the API secret instead of the webhook secret' => function () use ($apiKeyed, $r, $h, $hookPath) {
                $apiKeyed->verifyWebhook($r['body'], $h, $hookPath);
            },
            'signature of another event' => function () use ($desk, $r, $h, $hookPath, $got) {
                foreach ($got as $other) {
                    if ($other[0]['body'] !== $r['body']) {
                        $h2 = array_change_key_case($other[0]['headers'], CASE_LOWER);
                        $desk->verifyWebhook($r['body'], $h2, $hookPath);
                    }
                }
            },
        );
        foreach ($cases as $what => $fn) {
            throws('RefundDesk\SignatureError', $fn, $e['type'] . ': ' . $what);
        }
    }
    // Stale: the same honest request once the tolerance has passed.
    next_second();
    foreach ($got as $re) {
        throws('RefundDesk\SignatureError', function () use ($desk, $re, $hookPath) {
            $desk->verifyWebhook($re[0]['body'], $re[0]['headers'], $hookPath, 0);
        }, 'stale ' . $re[1]['type']);
    }
});

done('php-webhooks');
