<?php
// live.php: RefundDesk\Client against the live desk of tests/php/run.sh.
// Run with `php` (ext-curl) and with `php -n` (no extensions: PHP streams);
// the label of the closing line names the transport.
// Env: RD_URL, RD_API_SECRET, RD_SPOOL and RD_RECEIVER (receiver.php's URL).
require __DIR__ . '/lib.php';
require dirname(__DIR__, 2) . '/php/RefundDesk.php';

use RefundDesk\ApiError;
use RefundDesk\Client;

$desk = new Client(need_env('RD_URL'), need_env('RD_API_SECRET'));
$mode = $desk->transport();
if (in_array('-n', isset($_SERVER['argv']) ? $_SERVER['argv'] : array(), true) || !extension_loaded('curl')) {
    eq('stream', $mode, 'without ext-curl the client must use streams');
}

/** Runs $fn, which must fail with ApiError HTTP $status and error.code $code. */
function api_error($status, $code, callable $fn)
{
    $e = throws('RefundDesk\ApiError', $fn, "HTTP $status $code");
    eq($status, $e->getStatus(), 'status');
    eq($code, $e->getErrorCode(), 'error.code');
    check(is_array($e->getBody()) && isset($e->getBody()['error']['message']), 'error body kept');
    return $e;
}

t("$mode: registerOrder, the same body again is a no-op, a different one is 409", function () use ($desk) {
    $o = order_body();
    $r = $desk->registerOrder($o);
    check(is_array($r), 'answer is an array');
    next_second();
    $desk->registerOrder($o);
    next_second();
    api_error(409, 'order_conflict', function () use ($desk, $o) {
        $desk->registerOrder(array_merge($o, array('amount' => 9999)));
    });
    $got = $desk->getOrder($o['order_no']);
    eq($o['order_no'], $got['order']['order_no']);
    eq(10000, $got['order']['amount']);
    eq('held', $got['order']['hold']['state']);
});

t("$mode: ApiError carries status and error.code", function () use ($desk) {
    api_error(404, 'not_found', function () use ($desk) {
        $desk->getOrder('NOPE' . time());
    });
    api_error(422, 'unsupported_currency', function () use ($desk) {
        $desk->registerOrder(order_body(array('currency' => 'USD')));
    });
    api_error(422, 'missing_field', function () use ($desk) {
        $o = order_body();
        unset($o['title']);
        $desk->registerOrder($o);
    });
    $wrong = new Client(need_env('RD_URL'), 'not-the-secret', array('transport' => $desk->transport()));
    api_error(401, 'bad_signature', function () use ($wrong) {
        $wrong->getOrder('X1');
    });
    // An empty usage report goes out as {} (a JSON object), so the desk
    // answers with its field rule, not with 400 bad_json for [].
    $o = order_body();
    $desk->registerOrder($o);
    api_error(422, 'missing_field', function () use ($desk, $o) {
        $desk->reportUsage($o['order_no'], array());
    });
});

t("$mode: reportDelivery and reportUsage show in getOrder", function () use ($desk) {
    $o = order_body();
    $desk->registerOrder($o);
    $at = time() - 60;
    $desk->reportDelivery($o['order_no'], array('state' => 'delivered', 'kind' => 'card_key', 'at' => $at));
    $desk->reportUsage($o['order_no'], array('key_revealed_at' => $at + 10, 'redeemed' => false));
    $got = $desk->getOrder($o['order_no'])['order'];
    eq('delivered', $got['delivery']['state']);
    eq('card_key', $got['delivery']['kind']);
    eq($at + 10, $got['usage']['key_revealed_at']);
    api_error(409, 'delivery_conflict', function () use ($desk, $o) {
        $desk->reportDelivery($o['order_no'], array('state' => 'failed', 'kind' => 'card_key', 'at' => time()));
    });
});

t("$mode: startUrl hands over; an original-path refund finishes through reportPayout", function () use ($desk) {
    $o = order_body();
    $desk->registerOrder($o);
    $desk->reportDelivery($o['order_no'], array('state' => 'delivered', 'kind' => 'card_key', 'at' => time() - 60));
    $desk->reportUsage($o['order_no'], array('redeemed' => false));
    $id = buyer_refund($desk->startUrl($o['order_no'], $o['buyer_id']), $o['order_no'], 'changed_mind', 'original');
    $rf = $desk->getRefund($id)['refund'];
    eq($id, $rf['id']);
    eq($o['order_no'], $rf['order_no']);
    eq('refunding', $rf['state'], 'an unused card, changed mind, original path: waiting for the payout');
    eq('original', $rf['destination']);
    eq($rf['requested_amount'] - $rf['fee'], $rf['refund_amount']);
    $desk->reportPayout($id, 'succeeded');
    $rf = $desk->getRefund($id)['refund'];
    eq('refunded', $rf['state']);
    check(count($rf['timeline']) >= 3, 'timeline has the steps');
    api_error(409, 'not_refunding', function () use ($desk, $id) {
        $desk->reportPayout($id, 'failed');
    });
    $ord = $desk->getOrder($o['order_no']);
    eq($id, $ord['refunds'][0]['id']);
    eq($rf['refund_amount'], $ord['order']['hold']['refunded']);
    api_error(404, 'not_found', function () use ($desk) {
        $desk->getRefund('AAAAAAAAAAAAAAAAAAAAAA');
    });
});

t("$mode: a hand-off link refused when tampered or for another buyer", function () use ($desk) {
    $o = order_body();
    $desk->registerOrder($o);
    $u = $desk->startUrl($o['order_no'], $o['buyer_id']);
    $b = new Browser();
    eq(403, $b->get(str_replace('buyer=' . $o['buyer_id'], 'buyer=someone', $u))['status'], 'other buyer');
    eq(403, $b->get(substr($u, 0, -1) . (substr($u, -1) === '0' ? '1' : '0'))['status'], 'sig changed');
    eq(303, $b->get($u)['status'], 'the honest link');
});

t("$mode: under a mount the signed path is the route below it", function () use ($desk) {
    // receiver.php plays a desk mounted at /refund-desk: it records what arrives.
    $c = new Client(need_env('RD_RECEIVER') . '/refund-desk/', 'mount-secret', array('transport' => $desk->transport()));
    $tag = 'M' . substr(md5(uniqid('', true)), 0, 10);
    $c->reportPayout($tag, 'succeeded');
    $c->getOrder($tag);
    $seen = array();
    foreach (spooled('/refund-desk/api/v1/') as $r) {
        if (strpos($r['path'], $tag) === false) {
            continue;
        }
        $h = array_change_key_case($r['headers'], CASE_LOWER);
        $route = substr($r['path'], strlen('/refund-desk'));
        eq(Client::signature('mount-secret', $r['method'], $route, $h['x-rd-timestamp'], $r['body']),
            $h['x-rd-signature'], $r['method'] . ' ' . $r['path']);
        // Every call carries its own nonce (signed with the rest).
        check(preg_match('/\?rd_nonce=[0-9a-f]{16}$/', $route) === 1, 'no rd_nonce in ' . $route);
        $seen[] = $r['method'] . ' ' . preg_replace('/\?rd_nonce=[0-9a-f]{16}$/', '', $route);
    }
    eq(array("POST /api/v1/refunds/$tag/payout", "GET /api/v1/orders/$tag"), $seen);
});

t("$mode: a slow desk: the total deadline ends the call", function () use ($desk) {
    $c = new Client(need_env('RD_RECEIVER') . '/slow', 'x', array('transport' => $desk->transport(), 'timeout' => 0.5));
    $t0 = microtime(true);
    $e = throws('RefundDesk\ApiError', function () use ($c) {
        $c->getOrder('S1');
    });
    $took = microtime(true) - $t0;
    eq('network', $e->getErrorCode());
    check($took >= 0.4 && $took < 1.2, sprintf('gave up after %.2f s, not about 0.5 s', $took));
    usleep(1200000);        // let the single-threaded receiver finish its sleep
});

t("$mode: reportUpstreamClaim reports a storefront supplier's outcome (run.sh names supplier store)", function () use ($desk) {
    $o = order_body(array('upstream' => array('supplier' => 'store', 'order_no' => 'UPL' . time(), 'cost' => 7000)));
    $desk->registerOrder($o);
    throws('InvalidArgumentException', function () use ($desk, $o) {
        $desk->reportUpstreamClaim($o['order_no'], 'lost', 1);
    }, 'a state the desk does not know never leaves PHP');
    api_error(404, 'not_found', function () use ($desk, $o) {
        $desk->reportUpstreamClaim($o['order_no'], 'rejected', 0);    // no refund yet, so no claim
    });
    $id = buyer_refund($desk->startUrl($o['order_no'], $o['buyer_id']), $o['order_no'], 'not_delivered', 'balance',
        '一直没有发货，请退款，谢谢。');
    eq('refunded', $desk->getRefund($id)['refund']['state'], 'undelivered: refunded at once');
    eq('pending', $desk->getOrder($o['order_no'])['upstream_claim']['state'], 'the claim waits for the storefront');
    api_error(422, 'amount_too_large', function () use ($desk, $o) {
        $desk->reportUpstreamClaim($o['order_no'], 'refunded', 7001);
    });
    $r = $desk->reportUpstreamClaim($o['order_no'], 'refunded', 5000);
    eq('recovered', $r['upstream_claim']['state']);
    eq(5000, $r['upstream_claim']['recovered']);
    eq(2000, $r['upstream_claim']['written_off'], 'the rest is written off');
    eq('recovered', $desk->getOrder($o['order_no'])['upstream_claim']['state']);
});

done("php-live-$mode");
