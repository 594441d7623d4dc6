<?php
// upstream.php: the mock upstream of the shop's 直充 goods. It plays the
// supplier's top-up API: an order placed there is `pending` until the demo
// (upstream.php's buttons, or a test) says it `arrived` or `failed`. Like a
// real supplier it never calls the shop back: the shop asks it when the
// desk asks the shop (usage.requested). When a second desk plays the
// supplier (scripts/demo), the mock also acts as that supplier's storefront:
// it registers each top-up there as bought by the shop's client buyer and
// reports its state, so the supplier desk's own policy can judge a claim.
require_once __DIR__ . '/bootstrap.php';

const UPSTREAM_STATES = array('pending', 'arrived', 'failed');

/** The supplier desk's storefront API, or null when no desk plays the supplier. */
function supplier_desk()
{
    static $desk = false;
    if ($desk === false) {
        $desk = cfg('supplier_desk_url') !== '' && cfg('supplier_desk_secret') !== ''
            ? new RefundDesk\Client(cfg('supplier_desk_url'), cfg('supplier_desk_secret')) : null;
    }
    return $desk;
}

/** The mock upstream's record of an order's top-up, or false. */
function upstream_topup($orderId)
{
    return q('SELECT * FROM upstream_topups WHERE order_id = ?', array($orderId))->fetch();
}

/** Places the top-up of a paid order at the mock upstream (inside the
 *  payment's transaction; a repeat changes nothing). */
function upstream_place(array $o, $cost)
{
    q("INSERT IGNORE INTO upstream_topups (order_id, upstream_no, state, cost, created_at, updated_at)
       VALUES (?, ?, 'pending', ?, NOW(), NOW())", array($o['id'], 'UP' . $o['order_sn'], $cost));
}

/**
 * The supplier desk hears of the top-up as its storefront would tell it:
 * sold to the shop's client buyer, delivered, and the state the upstream
 * knows. Safe to repeat; marks the row synced when every call went through.
 */
function upstream_sync(array $o)
{
    $u = upstream_topup($o['id']);
    if (!$u || supplier_desk() === null || (int)$u['supplier_synced'] === 1) {
        return;
    }
    $paidAt = (int)$o['paid_ts'];
    try {
        supplier_desk()->registerOrder(array(
            'order_no' => $u['upstream_no'],
            'buyer_id' => cfg('supplier_buyer'),
            'merchant_id' => 'demo-upstream',
            'category' => 'direct_topup',
            'title' => $o['title'],
            'amount' => RefundDesk\Client::yuanToFen($u['cost']),
            'currency' => 'CNY',
            'pay_channel' => 'balance',
            'paid_at' => $paidAt,
            'contact' => 'reseller@example.com',
            'lookup_code' => substr(hash_hmac('sha256', 'lookup:' . $u['upstream_no'], cfg('secret')), 0, 12),
        ));
        supplier_desk()->reportDelivery($u['upstream_no'], array('state' => 'delivered', 'kind' => 'direct_topup', 'at' => $paidAt));
        upstream_report_supplier($u);
        q('UPDATE upstream_topups SET supplier_synced = 1 WHERE order_id = ?', array($o['id']));
    } catch (RefundDesk\ApiError $e) {
        error_log('demo-shop: supplier desk sync of ' . $u['upstream_no'] . ' failed: ' . $e->getMessage());
    }
}

/** The top-up's state as the desk's usage field: pending, succeeded, failed. */
function upstream_topup_word($state)
{
    return $state === 'arrived' ? 'succeeded' : $state;
}

function upstream_report_supplier(array $u)
{
    supplier_desk()->reportUsage($u['upstream_no'], array('topup' => upstream_topup_word($u['state'])));
}

/**
 * The demo sets the upstream's state of a top-up. The supplier desk (its
 * storefront) hears it at once; the shop's own desk hears it only if it
 * asked while the answer was still pending (the shop answers then).
 */
function upstream_set(array $o, $state)
{
    if (!in_array($state, UPSTREAM_STATES, true)) {
        throw new InvalidArgumentException('upstream state: pending, arrived or failed');
    }
    q('UPDATE upstream_topups SET state = ?, updated_at = NOW() WHERE order_id = ?', array($state, $o['id']));
    $u = upstream_topup($o['id']);
    if (!$u) {
        return;
    }
    try {
        if (supplier_desk() !== null && (int)$u['supplier_synced'] === 1) {
            upstream_report_supplier($u);
        }
    } catch (RefundDesk\ApiError $e) {
        error_log('demo-shop: supplier desk usage of ' . $u['upstream_no'] . ' failed: ' . $e->getMessage());
    }
    if ($state !== 'pending' && (int)$o['usage_asked'] === 1) {
        try {
            desk()->reportUsage($o['order_sn'], array('topup' => upstream_topup_word($state)));
            q('UPDATE orders SET usage_asked = 0 WHERE id = ?', array($o['id']));
        } catch (RefundDesk\ApiError $e) {
            error_log('demo-shop: late usage answer of ' . $o['order_sn'] . ' failed: ' . $e->getMessage());
        }
    }
}

/**
 * supplier_claim.requested for a supplier that is not a desk (config kind
 * storefront): the shop claims at the mock upstream, which refunds the cost
 * of a failed top-up and refuses one that arrived, and reports the outcome
 * (RefundDesk\Client::reportUpstreamClaim). Pending: no outcome yet.
 */
function upstream_claim_answer(array $o, array $u)
{
    if ($u['state'] === 'pending') {
        return 'claim: upstream still pending';
    }
    $refunded = $u['state'] === 'failed';
    try {
        desk()->reportUpstreamClaim($o['order_sn'], $refunded ? 'refunded' : 'rejected',
            $refunded ? RefundDesk\Client::yuanToFen($u['cost']) : 0);
    } catch (RefundDesk\ApiError $e) {
        if ($e->getErrorCode() !== 'claim_settled') {
            throw $e;
        }
    }
    return $refunded ? 'claim: upstream refunded' : 'claim: upstream rejected';
}
