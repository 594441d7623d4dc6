<?php
// epay/pay.php: POST: the mock gateway "takes" the money and sends the buyer
// to the merchant's return_url with a signed TRADE_SUCCESS notice, as 易支付
// does (a real gateway also calls notify_url from its server).
require dirname(__DIR__) . '/lib/shop.php';

require_post();
$p = array();
foreach (array('pid', 'type', 'out_trade_no', 'notify_url', 'return_url', 'name', 'money', 'sign', 'sign_type') as $k) {
    $p[$k] = post($k);
}
if (!epay_verify($p) || $p['pid'] !== cfg('pay_pid') || strpos($p['return_url'], cfg('url') . '/') !== 0) {
    fail(400, '易支付：签名错误');
}
$notice = array(
    'pid' => $p['pid'],
    'trade_no' => date('YmdHis') . mt_rand(100000, 999999),
    'out_trade_no' => $p['out_trade_no'],
    'type' => $p['type'],
    'name' => $p['name'],
    'money' => $p['money'],
    'trade_status' => 'TRADE_SUCCESS',
);
$notice['sign'] = epay_sign($notice, cfg('pay_key'));
$notice['sign_type'] = 'MD5';
redirect($p['return_url'] . '?' . http_build_query($notice));
