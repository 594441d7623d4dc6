<?php
// demo_shop.php: the demo shop's whole loop over HTTP, as a buyer clicks it:
// buy -> mock 易支付 -> key handed out (desk told) -> reveal (usage) ->
// 申请退款 hand-off -> desk webhook -> key back in stock; the original-path
// refund finishes through the shop's payout report. Plus the shop's gates.
// Env: those of tests/php/run.sh (SHOP_*, RD_*).
require __DIR__ . '/lib.php';
require dirname(__DIR__, 2) . '/php/demo-shop/lib/shop.php';   // the shop's own DB access and rules

$shop = need_env('SHOP_URL');

function stock($goodsId)
{
    return (int)q('SELECT COUNT(*) FROM carmis WHERE goods_id = ? AND status = ?', array($goodsId, CARMI_UNSOLD))->fetchColumn();
}

function hidden_inputs($html)
{
    preg_match_all('/<input type="hidden" name="([^"]+)" value="([^"]*)">/', $html, $m, PREG_SET_ORDER);
    $out = array();
    foreach ($m as $x) {
        $out[html_entity_decode($x[1], ENT_QUOTES, 'UTF-8')] = html_entity_decode($x[2], ENT_QUOTES, 'UTF-8');
    }
    return $out;
}

/** Buys one unit of $goodsId through the pages and the mock gateway; the order_sn. */
function buy(Browser $b, $goodsId, $payType = 'alipay', array $extra = array())
{
    $shop = need_env('SHOP_URL');
    $home = $b->get($shop . '/');
    eq(200, $home['status'], 'home page');
    $r = $b->post($shop . '/buy.php', array('csrf' => input_value($home['body'], 'csrf'), 'goods_id' => $goodsId,
        'email' => 'buyer@example.com', 'pay_type' => $payType) + $extra);
    eq(303, $r['status'], 'buy');
    check(strpos(location($r), '/epay/submit.php?') === 0, 'off to the gateway: ' . location($r));
    $cashier = $b->get($shop . location($r));
    eq(200, $cashier['status'], 'cashier page');
    $r = $b->post($shop . '/epay/pay.php', hidden_inputs($cashier['body']));
    eq(303, $r['status'], 'pay');
    check(strpos(location($r), $shop . '/pay_return.php?') === 0, 'back to the shop: ' . location($r));
    $r = $b->get(location($r));
    eq(303, $r['status'], 'return accepted: ' . strip_tags($r['body']));
    check(preg_match('#^/order\.php\?sn=([A-Z0-9]{16})$#', location($r), $m) === 1, 'to the order page');
    return $m[1];
}

$buyer = new Browser();
$goods = 1;
$state = array();

t('buy -> 易支付 (mock) -> paid: one key handed out, the desk has the order delivered and unused', function () use ($buyer, $goods, &$state) {
    $before = stock($goods);
    $sn = buy($buyer, $goods);
    eq($before - 1, stock($goods), 'stock');
    $o = find_order($sn);
    eq(ORDER_COMPLETED, (int)$o['status']);
    eq(1, (int)$o['desk_synced'], 'desk told');
    $d = desk()->getOrder($sn)['order'];
    eq($o['buyer_id'], $d['buyer_id']);
    eq(10000, $d['amount'], 'DECIMAL 100.00 went out as 10000 fen');
    eq('alipay', $d['pay_channel']);
    eq('delivered', $d['delivery']['state']);
    eq(false, $d['usage']['redeemed']);
    $state['unrevealed'] = $sn;
});

t('reveal: the key shows on the order page and the desk hears key_revealed_at', function () use ($buyer, $goods, $shop) {
    $sn = buy($buyer, $goods);
    $page = $buyer->get($shop . '/order.php?sn=' . $sn);
    check(strpos($page['body'], 'id="carmi"') === false, 'key hidden before the click');
    $r = $buyer->post($shop . '/reveal.php', array('csrf' => input_value($page['body'], 'csrf'), 'sn' => $sn));
    eq(303, $r['status'], 'reveal');
    $page = $buyer->get($shop . '/order.php?sn=' . $sn);
    $key = q('SELECT c.carmi FROM carmis c JOIN orders o ON o.carmi_id = c.id WHERE o.order_sn = ?', array($sn))->fetchColumn();
    check(strpos($page['body'], '<code id="carmi">' . h($key) . '</code>') !== false, 'key shown');
    $d = desk()->getOrder($sn)['order'];
    check($d['usage']['key_revealed_at'] > 0, 'desk has key_revealed_at');
});

t('申请退款 hands over; refund.approved puts the key back; 原路返回 finishes by the payout report', function () use ($buyer, $goods, $shop, &$state) {
    $sn = $state['unrevealed'];
    $page = $buyer->get($shop . '/order.php?sn=' . $sn);
    $r = $buyer->post($shop . '/refund.php', array('csrf' => input_value($page['body'], 'csrf'), 'sn' => $sn));
    eq(303, $r['status'], '申请退款');
    $link = location($r);
    check(strpos($link, need_env('RD_URL') . '/refund/start?order=' . $sn . '&') === 0, 'hand-off link: ' . $link);
    $id = buyer_refund($link, $sn, 'changed_mind', 'original');
    eq('refunding', desk()->getRefund($id)['refund']['state']);
    $before = stock($goods);
    worker_once();                  // refund.approved (recycle_item), refund.payout_requested
    eq($before + 1, stock($goods), 'the key is back in stock');
    eq('refunded', desk()->getRefund($id)['refund']['state'], 'the shop reported the payout');
    worker_once();                  // refund.refunded
    eq('refunded', find_order($sn)['refund_state']);
    $page = $buyer->get($shop . '/order.php?sn=' . $sn);
    check(strpos($page['body'], 'data-state="refunded"') !== false, 'order page shows 已退款');
    $state['refund'] = $id;
});

t('a webhook seen before changes nothing; bad, stale and unsigned ones are 400', function () use ($goods, $shop, &$state) {
    $ev = q("SELECT event_id FROM webhook_events WHERE type = 'refund.approved' ORDER BY received_at DESC LIMIT 1")->fetchColumn();
    check($ev !== false, 'the shop recorded the event');
    $body = json_encode(array('id' => $ev, 'type' => 'refund.approved', 'created_at' => time(),
        'data' => array('refund_id' => $state['refund'], 'order_no' => $state['unrevealed'], 'recycle_item' => true)));
    $path = '/webhook.php';
    $post = function ($body, $ts, $secret) use ($shop, $path) {
        $b = new Browser();
        return $b->request('POST', $shop . $path, $body, array('Content-Type: application/json',
            'X-RD-Timestamp: ' . $ts, 'X-RD-Signature: ' . RefundDesk\Client::signature($secret, 'POST', $path, (string)$ts, $body)));
    };
    $before = stock($goods);
    $r = $post($body, time(), need_env('RD_WEBHOOK_SECRET'));
    eq(200, $r['status'], 'a repeat is acknowledged');
    check(strpos($r['body'], 'seen before') === 0, 'as seen before: ' . $r['body']);
    eq($before, stock($goods), 'no second key');
    eq(400, $post($body, time(), need_env('RD_API_SECRET'))['status'], 'signed with the API secret');
    eq(400, $post($body, time() - 400, need_env('RD_WEBHOOK_SECRET'))['status'], 'stale');
    $b = new Browser();
    eq(400, $b->request('POST', $shop . $path, $body, array('Content-Type: application/json'))['status'], 'unsigned');
});

t('refund.approved with revoke_item burns the key instead of restocking it', function () use ($buyer, $goods, $shop) {
    $sn = buy($buyer, $goods);
    $before = stock($goods);
    $body = json_encode(array('id' => 'evt-revoke-' . $sn, 'type' => 'refund.approved', 'created_at' => time(),
        'data' => array('refund_id' => 'R' . $sn, 'order_no' => $sn, 'revoke_item' => true)));
    $ts = (string)time();
    $b = new Browser();
    $r = $b->request('POST', $shop . '/webhook.php', $body, array('Content-Type: application/json', 'X-RD-Timestamp: ' . $ts,
        'X-RD-Signature: ' . RefundDesk\Client::signature(need_env('RD_WEBHOOK_SECRET'), 'POST', '/webhook.php', $ts, $body)));
    eq(200, $r['status'], $r['body']);
    eq($before, stock($goods), 'not back in stock');
    eq(CARMI_REVOKED, (int)q('SELECT c.status FROM carmis c JOIN orders o ON o.carmi_id = c.id WHERE o.order_sn = ?',
        array($sn))->fetchColumn());
});

t('usage.requested is answered from the shop\'s own record of the key', function () use ($buyer, $goods, $shop) {
    $sn = buy($buyer, $goods);
    $send = function ($sn) use ($shop) {
        $body = json_encode(array('id' => 'evt-usage-' . $sn, 'type' => 'usage.requested', 'created_at' => time(),
            'data' => array('order_no' => $sn, 'refund_id' => 'R' . $sn, 'deadline' => time() + 300)));
        $ts = (string)time();
        $b = new Browser();
        return $b->request('POST', $shop . '/webhook.php', $body, array('Content-Type: application/json', 'X-RD-Timestamp: ' . $ts,
            'X-RD-Signature: ' . RefundDesk\Client::signature(need_env('RD_WEBHOOK_SECRET'), 'POST', '/webhook.php', $ts, $body)));
    };
    $r = $send($sn);
    eq(200, $r['status'], $r['body']);
    eq("usage answered: unused\n", $r['body']);
    $d = desk()->getOrder($sn)['order'];
    eq(false, $d['usage']['redeemed']);
    $sn2 = buy($buyer, $goods);
    reveal_key(find_order($sn2));
    $r = $send($sn2);
    eq("usage answered: revealed\n", $r['body']);
    check(desk()->getOrder($sn2)['order']['usage']['key_revealed_at'] > 0, 'desk has key_revealed_at');
});

/** A signed webhook to the shop, as the desk sends it; the response. */
function send_hook($type, array $data)
{
    $body = json_encode(array('id' => 'evt-' . $type . '-' . bin2hex(random_bytes(6)), 'type' => $type,
        'created_at' => time(), 'data' => $data));
    $ts = (string)time();
    $b = new Browser();
    return $b->request('POST', need_env('SHOP_URL') . '/webhook.php', $body, array('Content-Type: application/json',
        'X-RD-Timestamp: ' . $ts, 'X-RD-Signature: ' . RefundDesk\Client::signature(need_env('RD_WEBHOOK_SECRET'),
        'POST', '/webhook.php', $ts, $body)));
}

/** The mock upstream's button on the order page. */
function set_upstream(Browser $b, $sn, $state)
{
    $shop = need_env('SHOP_URL');
    $page = $b->get($shop . '/order.php?sn=' . $sn);
    $r = $b->post($shop . '/upstream.php', array('csrf' => input_value($page['body'], 'csrf'), 'sn' => $sn, 'state' => $state));
    eq(303, $r['status'], 'upstream button: ' . strip_tags($r['body']));
}

/** The buyer files a topup_failed refund at the desk through the shop's 申请退款; its id. */
function topup_refund(Browser $b, $sn)
{
    $shop = need_env('SHOP_URL');
    $page = $b->get($shop . '/order.php?sn=' . $sn);
    $r = $b->post($shop . '/refund.php', array('csrf' => input_value($page['body'], 'csrf'), 'sn' => $sn));
    eq(303, $r['status'], '申请退款');
    return buyer_refund(location($r), $sn, 'topup_failed', 'balance', '充值一直没有到账，订单页显示充值中，请退款。',
        test_png($sn));
}

$topupGoods = (int)q("SELECT id FROM goods WHERE category = 'direct_topup' ORDER BY id LIMIT 1")->fetchColumn();

t('直充: bought with an account, placed pending at the mock upstream; the desk has a pending direct_topup bought from the supplier',
    function () use ($buyer, $topupGoods, $shop, &$state) {
    check($topupGoods > 0, 'setup stocked a top-up good');
    $home = $buyer->get($shop . '/');
    check(strpos($home['body'], 'name="account"') !== false, 'the top-up good asks for the game account');
    $r = $buyer->post($shop . '/buy.php', array('csrf' => input_value($home['body'], 'csrf'), 'goods_id' => $topupGoods,
        'email' => 'b@example.com', 'pay_type' => 'alipay', 'account' => 'bad account!'));
    eq(422, $r['status'], 'a bad account is refused');
    $sn = buy($buyer, $topupGoods, 'alipay', array('account' => 'player_10086'));
    $o = find_order($sn);
    eq('player_10086', $o['account']);
    eq(null, $o['carmi_id'], 'no card key for a top-up');
    eq(1, (int)$o['desk_synced'], 'desk told');
    $u = upstream_topup($o['id']);
    eq('pending', $u['state']);
    eq('UP' . $sn, $u['upstream_no']);
    $d = desk()->getOrder($sn)['order'];
    eq('direct_topup', $d['category']);
    eq(6800, $d['amount']);
    eq('delivered', $d['delivery']['state']);
    eq('direct_topup', $d['delivery']['kind']);
    eq('pending', $d['usage']['topup']);
    eq(null, desk()->getOrder($sn)['upstream_claim'], 'no claim before a refund');
    $page = $buyer->get($shop . '/order.php?sn=' . $sn);
    check(strpos($page['body'], 'data-state="pending"') !== false, 'order page shows the upstream pending');
    $b = new Browser();
    $home = $b->get($shop . '/');
    eq(404, $b->post($shop . '/upstream.php', array('csrf' => input_value($home['body'], 'csrf'), 'sn' => $sn,
        'state' => 'failed'))['status'], "another buyer cannot set the upstream");
    $page = $buyer->get($shop . '/order.php?sn=' . $sn);
    eq(422, $buyer->post($shop . '/upstream.php', array('csrf' => input_value($page['body'], 'csrf'), 'sn' => $sn,
        'state' => 'lost'))['status'], 'an unknown upstream state');
    eq(403, $buyer->post($shop . '/upstream.php', array('csrf' => str_repeat('0', 64), 'sn' => $sn,
        'state' => 'failed'))['status'], 'bad csrf');
    eq('pending', upstream_topup($o['id'])['state'], 'nothing changed');
    $state['topup'] = $sn;
});

t('直充 the upstream still pending: usage.requested gets no answer, the request stays awaiting_upstream; the upstream failing later answers at once',
    function () use ($buyer, &$state) {
    $sn = $state['topup'];
    $id = topup_refund($buyer, $sn);
    eq('awaiting_upstream', desk()->getRefund($id)['refund']['state'], 'the desk asks first');
    $out = worker_once();          // delivers usage.requested to the shop
    eq('awaiting_upstream', desk()->getRefund($id)['refund']['state'], 'no answer while the upstream is pending');
    eq(1, (int)find_order($sn)['usage_asked'], 'the shop heard the question and keeps it: ' . $out);
    eq('pending', desk()->getOrder($sn)['order']['usage']['topup']);
    $t0 = microtime(true);
    set_upstream($buyer, $sn, 'failed');
    $r = desk()->getRefund($id)['refund'];
    $dt = microtime(true) - $t0;
    eq('refunded', $r['state'], 'the late answer refunds at once');
    eq(6800, $r['refund_amount'], 'a failed top-up: the whole price');
    check($dt < 1.0, sprintf('upstream failed -> refunded took %.3f s', $dt));
    printf("     upstream fails after the question -> refunded: %.0f ms\n", $dt * 1000);
    eq(0, (int)find_order($sn)['usage_asked'], 'the question is answered');
});

t('直充 the upstream failed: usage.requested answered topup failed, the desk refunds within a second; the storefront supplier\'s claim is refunded through reportUpstreamClaim',
    function () use ($buyer, $topupGoods) {
    $sn = buy($buyer, $topupGoods, 'wxpay', array('account' => 'player_10010'));
    set_upstream($buyer, $sn, 'failed');
    eq('pending', desk()->getOrder($sn)['order']['usage']['topup'], 'the upstream never calls the shop back');
    $id = topup_refund($buyer, $sn);
    eq('awaiting_upstream', desk()->getRefund($id)['refund']['state']);
    // The answer the shop gives to the webhook: the desk decides in that call.
    $t0 = microtime(true);
    $r = send_hook('usage.requested', array('order_no' => $sn, 'refund_id' => $id, 'deadline' => time() + 300));
    $dt = microtime(true) - $t0;
    eq("usage answered: topup failed\n", $r['body']);
    eq('refunded', desk()->getRefund($id)['refund']['state'], 'instant refund');
    check($dt < 1.0, sprintf('usage.requested -> refunded took %.3f s', $dt));
    printf("     usage.requested answered failed -> refunded: %.0f ms\n", $dt * 1000);
    $claim = desk()->getOrder($sn)['upstream_claim'];
    eq('pending', $claim['state'], 'a claim at the storefront-reached supplier');
    eq(6000, $claim['amount'], 'the cost at the upstream');
    worker_once();                 // supplier_claim.requested -> the mock upstream refunds -> reportUpstreamClaim
    $claim = desk()->getOrder($sn)['upstream_claim'];
    eq('recovered', $claim['state'], 'the mock upstream refunded the failed top-up');
    eq(6000, $claim['recovered']);
    // The same outcome again is harmless; a different one is refused.
    desk()->reportUpstreamClaim($sn, 'refunded', 6000);
    $e = throws('RefundDesk\ApiError', function () use ($sn) {
        desk()->reportUpstreamClaim($sn, 'rejected', 0);
    });
    eq(409, $e->getStatus());
});

t('直充 the upstream says arrived: usage.requested answered topup succeeded, the request goes to a person',
    function () use ($buyer, $topupGoods) {
    $sn = buy($buyer, $topupGoods, 'alipay', array('account' => 'player_12306'));
    set_upstream($buyer, $sn, 'arrived');
    $id = topup_refund($buyer, $sn);
    $r = send_hook('usage.requested', array('order_no' => $sn, 'refund_id' => $id, 'deadline' => time() + 300));
    eq("usage answered: topup succeeded\n", $r['body']);
    eq('succeeded', desk()->getOrder($sn)['order']['usage']['topup']);
    $st = desk()->getRefund($id)['refund']['state'];
    check(in_array($st, array('cs_review', 'merchant_review'), true), 'arrived means review: ' . $st);
});

t('易支付 notices: a bad md5 or a changed amount is refused, a repeat is harmless', function () use ($buyer, $goods, $shop) {
    $home = $buyer->get($shop . '/');
    $r = $buyer->post($shop . '/buy.php', array('csrf' => input_value($home['body'], 'csrf'), 'goods_id' => $goods,
        'email' => 'b@example.com', 'pay_type' => 'wxpay'));
    parse_str(parse_url(location($r), PHP_URL_QUERY), $q);
    $sn = $q['out_trade_no'];
    $notice = array('pid' => cfg('pay_pid'), 'trade_no' => 'T' . time(), 'out_trade_no' => $sn, 'type' => 'wxpay',
        'name' => $q['name'], 'money' => $q['money'], 'trade_status' => 'TRADE_SUCCESS', 'sign_type' => 'MD5');
    $send = function (array $n) use ($shop) {
        $b = new Browser();
        return $b->get($shop . '/pay_notify.php?' . http_build_query($n))['body'];
    };
    eq('fail', $send($notice + array('sign' => epay_sign($notice, 'wrong-key'))), 'wrong key');
    $cheap = array_merge($notice, array('money' => '0.01'));
    eq('fail', $send($cheap + array('sign' => epay_sign($cheap, cfg('pay_key')))), 'amount changed, honestly signed');
    eq(1, (int)find_order($sn)['status'], 'still unpaid');
    $before = stock($goods);
    $good = $notice + array('sign' => epay_sign($notice, cfg('pay_key')));
    eq('fail', $send(array_merge($good, array('money' => array('1')))), 'an array for money');
    $huge = array_merge($notice, array('money' => str_repeat('9', 30)));
    eq('fail', $send($huge + array('sign' => epay_sign($huge, cfg('pay_key')))), 'an absurd amount');
    eq('success', $send($good));
    eq('success', $send($good), 'repeat');
    eq($before - 1, stock($goods), 'one key for one order');
    eq('wechat', desk()->getOrder($sn)['order']['pay_channel']);
});

t('CSRF, ownership, escaping and private files', function () use ($buyer, $shop, &$state) {
    $b = new Browser();
    eq(403, $b->post($shop . '/buy.php', array('goods_id' => 1, 'email' => 'x@example.com', 'pay_type' => 'alipay'))['status'], 'no csrf');
    $page = $buyer->get($shop . '/order.php?sn=' . $state['unrevealed']);
    eq(403, $buyer->post($shop . '/refund.php', array('csrf' => str_repeat('0', 64), 'sn' => $state['unrevealed']))['status'], 'bad csrf');
    eq(404, $b->get($shop . '/order.php?sn=' . $state['unrevealed'])['status'], "another buyer's order");
    $home = $b->get($shop . '/');
    eq(404, $b->post($shop . '/refund.php', array('csrf' => input_value($home['body'], 'csrf'), 'sn' => $state['unrevealed']))['status'],
        "another buyer's refund button");
    eq(405, $buyer->get($shop . '/refund.php')['status'], 'GET on a POST handler');
    q("INSERT INTO goods (gd_name, gd_description, actual_price, created_at, updated_at) VALUES (?, ?, '1.00', NOW(), NOW())",
        array('<script>alert(1)</script>&', '"><img src=x onerror=alert(1)>'));
    $id = db()->lastInsertId();
    $home = $b->get($shop . '/');
    q('UPDATE goods SET is_open = 0 WHERE id = ?', array($id));
    check(strpos($home['body'], '&lt;script&gt;alert(1)&lt;/script&gt;&amp;') !== false, 'name escaped');
    check(strpos($home['body'], '<script>') === false && strpos($home['body'], '<img') === false, 'nothing raw');
    foreach (array('/lib/bootstrap.php', '//lib/shop.php', '/config.php', '/setup.php', '/router.php', '/%6Cib/shop.php', '/lib/../config.php', '/./lib/shop.php') as $p) {
        eq(404, $b->get($shop . $p)['status'], $p);
    }
    check(strpos($page['body'], 'name="viewport"') !== false, 'phone viewport');
});

done('php-demo-shop');
