<?php
// shop.php: the shop's own rules: orders, card keys (carmis), the mock
// 易支付 signature, what the desk is told and what its webhooks change.
require_once __DIR__ . '/bootstrap.php';
require_once __DIR__ . '/upstream.php';

// dujiaoka's order states.
const ORDER_WAIT_PAY = 1;
const ORDER_COMPLETED = 4;
// dujiaoka's carmi states, plus one for a key the desk told us to revoke.
const CARMI_UNSOLD = 1;
const CARMI_SOLD = 2;
const CARMI_REVOKED = 3;

/** 易支付 md5 signing: non-empty parameters but sign/sign_type, sorted by
 *  name, joined as k=v&k=v, the merchant key appended, md5. */
function epay_sign(array $params, $key)
{
    ksort($params);
    $pairs = array();
    foreach ($params as $k => $v) {
        if ($k === 'sign' || $k === 'sign_type' || $v === '' || $v === null || is_array($v)) {
            continue;
        }
        $pairs[] = $k . '=' . $v;
    }
    return md5(implode('&', $pairs) . $key);
}

function epay_verify(array $params)
{
    return isset($params['sign']) && is_string($params['sign']) && cfg('pay_key') !== '' &&
        hash_equals(epay_sign($params, cfg('pay_key')), strtolower($params['sign']));
}

/** An order row; paid_ts and revealed_ts are its times as UNIX seconds,
 *  converted by the database in its own time zone. */
function find_order($sn)
{
    return q('SELECT o.*, UNIX_TIMESTAMP(o.paid_at) AS paid_ts, UNIX_TIMESTAMP(o.revealed_at) AS revealed_ts,
              g.category, g.upstream_cost
              FROM orders o JOIN goods g ON g.id = o.goods_id WHERE o.order_sn = ?', array($sn))->fetch();
}

/** The buyer's own order, or a 404 page. */
function own_order($sn)
{
    $o = preg_match('/^[A-Z0-9]{16}$/', $sn) ? find_order($sn) : false;
    if (!$o || !hash_equals($o['buyer_id'], buyer_id())) {
        fail(404, '没有这个订单');
    }
    return $o;
}

/** A new unpaid order for one unit of a goods; a top-up names the game
 *  account it goes to ($account, 4 to 32 letters, digits, _ - @ .). */
function create_order($goodsId, $email, $payType, $account = '')
{
    $g = q('SELECT * FROM goods WHERE id = ? AND is_open = 1', array($goodsId))->fetch();
    if (!$g) {
        fail(404, '商品不存在或已下架');
    }
    if ($g['category'] === 'direct_topup' && !preg_match('/^[A-Za-z0-9_@.\-]{4,32}$/D', $account)) {
        fail(422, '请填写正确的游戏账号（4 到 32 位字母、数字或 _ - @ .）');
    }
    $sn = strtoupper(bin2hex(random_bytes(8)));
    q('INSERT INTO orders (order_sn, goods_id, title, buyer_id, email, actual_price, pay_type, status, account, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(), NOW())',
        array($sn, $g['id'], $g['gd_name'], buyer_id(), $email, $g['actual_price'], $payType, ORDER_WAIT_PAY,
            $g['category'] === 'direct_topup' ? $account : null));
    return $sn;
}

/**
 * A signed 易支付 notice (return or notify): the order is paid, one card key
 * of its goods is handed out, and the desk hears of the order and its
 * delivery. Idempotent: a repeated notice changes nothing.
 */
function accept_payment(array $p)
{
    foreach (array('trade_status', 'out_trade_no', 'money', 'trade_no') as $k) {
        if (!isset($p[$k]) || !is_string($p[$k])) {
            return false;
        }
    }
    if (!epay_verify($p) || $p['trade_status'] !== 'TRADE_SUCCESS' || !preg_match('/^[0-9]{1,10}(\.[0-9]{1,2})?$/D', $p['money'])) {
        return false;
    }
    $pdo = db();
    $pdo->beginTransaction();
    $o = q('SELECT o.*, g.category, g.upstream_cost FROM orders o JOIN goods g ON g.id = o.goods_id
            WHERE o.order_sn = ? FOR UPDATE', array((string)$p['out_trade_no']))->fetch();
    if (!$o || RefundDesk\Client::yuanToFen($o['actual_price']) !== RefundDesk\Client::yuanToFen((string)$p['money'])) {
        $pdo->rollBack();
        return false;
    }
    if ((int)$o['status'] === ORDER_WAIT_PAY && $o['category'] === 'direct_topup') {
        // 直充: no key; the top-up is placed at the upstream, pending there.
        upstream_place($o, $o['upstream_cost'] !== null ? $o['upstream_cost'] : $o['actual_price']);
        q('UPDATE orders SET status = ?, trade_no = ?, paid_at = NOW(), updated_at = NOW() WHERE id = ?',
            array(ORDER_COMPLETED, (string)$p['trade_no'], $o['id']));
    } elseif ((int)$o['status'] === ORDER_WAIT_PAY) {
        $k = q('SELECT id FROM carmis WHERE goods_id = ? AND status = ? ORDER BY id LIMIT 1 FOR UPDATE',
            array($o['goods_id'], CARMI_UNSOLD))->fetch();
        // Out of stock: paid, not delivered; the desk then allows a full refund.
        if ($k) {
            q('UPDATE carmis SET status = ?, order_id = ?, updated_at = NOW() WHERE id = ?', array(CARMI_SOLD, $o['id'], $k['id']));
        }
        q('UPDATE orders SET status = ?, trade_no = ?, carmi_id = ?, paid_at = NOW(), updated_at = NOW() WHERE id = ?',
            array(ORDER_COMPLETED, (string)$p['trade_no'], $k ? $k['id'] : null, $o['id']));
    }
    $pdo->commit();
    desk_sync((string)$p['out_trade_no']);
    return true;
}

/**
 * Tells the desk about a paid order: registered, delivered, key not yet
 * seen; a top-up: delivered as direct_topup, `pending`, and bought from the
 * supplier named by config `supplier_id` (the supplier desk hears of it
 * first, so a claim finds its order there). Safe to repeat (registration of the same body is a no-op); marks
 * the order synced only when every call went through.
 */
function desk_sync($sn)
{
    $o = find_order($sn);
    if (!$o || (int)$o['status'] !== ORDER_COMPLETED || (int)$o['desk_synced'] === 1) {
        return;
    }
    $paidAt = (int)$o['paid_ts'];
    $topup = $o['category'] === 'direct_topup';
    if ($topup) {
        upstream_sync($o);
    }
    try {
        desk()->registerOrder(array(
            'order_no' => $o['order_sn'],
            'buyer_id' => $o['buyer_id'],
            'merchant_id' => 'demo-shop',
            'category' => $topup ? 'direct_topup' : 'game_card',
            'title' => $o['title'],
            'amount' => RefundDesk\Client::yuanToFen($o['actual_price']),
            'currency' => 'CNY',
            'pay_channel' => $o['pay_type'] === 'wxpay' ? 'wechat' : 'alipay',
            'paid_at' => $paidAt,
            'contact' => $o['email'],
            'lookup_code' => substr(hash_hmac('sha256', 'lookup:' . $o['order_sn'], cfg('secret')), 0, 12),
        ) + desk_upstream($o));
        if ($topup) {
            // The upstream has not said yet: the desk asks when a refund needs it.
            desk()->reportDelivery($o['order_sn'], array('state' => 'delivered', 'kind' => 'direct_topup', 'at' => $paidAt));
            desk()->reportUsage($o['order_sn'], array('topup' => 'pending'));
        } elseif ($o['carmi_id'] !== null) {
            desk()->reportDelivery($o['order_sn'], array('state' => 'delivered', 'kind' => 'card_key', 'at' => $paidAt));
            desk()->reportUsage($o['order_sn'], array('redeemed' => false));
        }
        q('UPDATE orders SET desk_synced = 1 WHERE id = ?', array($o['id']));
    } catch (RefundDesk\ApiError $e) {
        // The order page tries again; the shop keeps working without the desk.
        error_log('demo-shop: desk sync of ' . $sn . ' failed: ' . $e->getMessage());
    }
}

/** The registration's `upstream` for a top-up bought from the configured supplier. */
function desk_upstream(array $o)
{
    $u = $o['category'] === 'direct_topup' && cfg('supplier_id') !== '' ? upstream_topup($o['id']) : false;
    return $u ? array('upstream' => array('supplier' => cfg('supplier_id'), 'order_no' => $u['upstream_no'],
        'cost' => RefundDesk\Client::yuanToFen($u['cost']))) : array();
}

/** The buyer looks at the key: the shop records it and tells the desk. */
function reveal_key(array $o)
{
    if ($o['carmi_id'] === null) {
        return;
    }
    if ($o['revealed_at'] === null) {
        q('UPDATE orders SET revealed_at = NOW() WHERE id = ? AND revealed_at IS NULL', array($o['id']));
    }
    $o = find_order($o['order_sn']);
    try {
        desk()->reportUsage($o['order_sn'], array('key_revealed_at' => (int)$o['revealed_ts']));
    } catch (RefundDesk\ApiError $e) {
        error_log('demo-shop: usage report of ' . $o['order_sn'] . ' failed: ' . $e->getMessage());
    }
}

/**
 * usage.requested for a top-up: the shop asks its upstream. Failed is
 * unused (the desk refunds at once), arrived is used; pending is no answer
 * yet: the shop remembers the question and answers when the upstream knows
 * (upstream_set), else the desk's deadline sends the request to a person.
 */
function answer_topup_usage(array $o, array $u)
{
    if ($u['state'] === 'pending') {
        q('UPDATE orders SET usage_asked = 1 WHERE id = ?', array($o['id']));
        return 'usage: upstream still pending';
    }
    desk()->reportUsage($o['order_sn'], array('topup' => upstream_topup_word($u['state'])));
    return 'usage answered: topup ' . upstream_topup_word($u['state']);
}

/**
 * One verified webhook event, inside the caller's transaction (the event id
 * row is part of it, so a failure here is retried by the desk as a whole).
 */
function handle_event(array $ev)
{
    $d = isset($ev['data']) && is_array($ev['data']) ? $ev['data'] : array();
    $sn = isset($d['order_no']) ? (string)$d['order_no'] : '';
    $o = $sn !== '' ? q('SELECT * FROM orders WHERE order_sn = ? FOR UPDATE', array($sn))->fetch() : false;
    if (!$o) {
        return 'not ours';
    }
    $state = isset($d['state']) ? (string)$d['state'] : '';
    switch ($ev['type']) {
        case 'refund.approved':
            // recycle_item: the key was never used, back into stock.
            // revoke_item: the key is burnt, never sold again.
            $back = !empty($d['recycle_item']);
            if ($o['carmi_id'] !== null) {
                q('UPDATE carmis SET status = ?, order_id = ?, updated_at = NOW() WHERE id = ? AND order_id = ?',
                    array($back ? CARMI_UNSOLD : CARMI_REVOKED, $back ? null : $o['id'], $o['carmi_id'], $o['id']));
            }
            q('UPDATE orders SET refund_state = ?, updated_at = NOW() WHERE id = ?', array('approved', $o['id']));
            if ($o['carmi_id'] === null) {
                return 'noted: no key';     // a top-up, or out of stock
            }
            return $back ? 'key back in stock' : 'key revoked';
        case 'refund.payout_requested':
            // The shop is the payment service here: it "returns the money
            // along the original path" and reports the result.
            try {
                desk()->reportPayout((string)$d['refund_id'], 'succeeded');
            } catch (RefundDesk\ApiError $e) {
                if ($e->getErrorCode() !== 'not_refunding') {
                    throw $e;
                }
            }
            q('UPDATE orders SET refund_state = ?, updated_at = NOW() WHERE id = ?', array('paying_out', $o['id']));
            return 'payout reported';
        case 'usage.requested':
            $u = upstream_topup($o['id']);
            if ($u) {
                return answer_topup_usage($o, $u);
            }
            // The desk could not tell whether the goods were used: answer
            // from our own record (a key looked at is used, one never
            // shown is not). A top-up shop would ask its supplier here.
            $at = q('SELECT UNIX_TIMESTAMP(revealed_at) FROM orders WHERE id = ?', array($o['id']))->fetchColumn();
            desk()->reportUsage($o['order_sn'], $at !== null && $at !== false
                ? array('key_revealed_at' => (int)$at) : array('redeemed' => false));
            return $at ? 'usage answered: revealed' : 'usage answered: unused';
        case 'supplier_claim.requested':
            $u = upstream_topup($o['id']);
            return $u ? upstream_claim_answer($o, $u) : 'no upstream';
        case 'refund.refunded':
        case 'refund.rejected':
        case 'refund.cancelled':
        case 'refund.submitted':
            q('UPDATE orders SET refund_state = ?, updated_at = NOW() WHERE id = ?', array($state, $o['id']));
            return 'noted';
    }
    return 'ignored';
}
