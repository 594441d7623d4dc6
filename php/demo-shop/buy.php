<?php
// buy.php: POST: a new order, then off to the (mock) 易支付 gateway.
require __DIR__ . '/lib/shop.php';

require_post();
$email = post('email');
$type = post('pay_type');
if (!filter_var($email, FILTER_VALIDATE_EMAIL) || strlen($email) > 120) {
    fail(422, '请填写正确的邮箱');
}
if ($type !== 'alipay' && $type !== 'wxpay') {
    fail(422, '请选择支付方式');
}
$sn = create_order((int)post('goods_id'), $email, $type, post('account'));
$o = find_order($sn);
$params = array(
    'pid' => cfg('pay_pid'),
    'type' => $type,
    'out_trade_no' => $sn,
    'notify_url' => cfg('url') . '/pay_notify.php',
    'return_url' => cfg('url') . '/pay_return.php',
    'name' => $o['title'],
    'money' => $o['actual_price'],
);
$params['sign'] = epay_sign($params, cfg('pay_key'));
$params['sign_type'] = 'MD5';
redirect('/epay/submit.php?' . http_build_query($params));
