<?php
// epay/submit.php: the mock 易支付 gateway's cashier page. Checks the
// merchant's md5 signature as the real one does, then offers a button that
// "pays" (nothing is charged).
require dirname(__DIR__) . '/lib/shop.php';

$p = $_GET;
if (!epay_verify($p) || !isset($p['pid'], $p['out_trade_no'], $p['money'], $p['return_url'], $p['name'], $p['type']) ||
    $p['pid'] !== cfg('pay_pid')) {
    fail(400, '易支付：签名错误');
}
page_start('模拟易支付收银台');
echo '<dl class="order"><dt>商户订单</dt><dd>', h($p['out_trade_no']), '</dd>',
    '<dt>商品</dt><dd>', h($p['name']), '</dd>',
    '<dt>金额</dt><dd>¥', h($p['money']), '</dd>',
    '<dt>方式</dt><dd>', $p['type'] === 'wxpay' ? '微信支付' : '支付宝', '</dd></dl>',
    '<form method="post" action="/epay/pay.php">', csrf_field();
foreach (array('pid', 'type', 'out_trade_no', 'notify_url', 'return_url', 'name', 'money', 'sign', 'sign_type') as $k) {
    echo '<input type="hidden" name="', h($k), '" value="', h(isset($p[$k]) ? $p[$k] : ''), '">';
}
echo '<button>确认支付（模拟）</button></form>';
page_end();
