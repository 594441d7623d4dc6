<?php
// order.php: one order: state, the card key behind a 查看卡密 button, and
// the 申请退款 button that hands the buyer over to refund-desk.
require __DIR__ . '/lib/shop.php';

$o = own_order(get('sn'));
desk_sync($o['order_sn']);      // retries a registration that failed at payment time
$key = $o['carmi_id'] !== null
    ? q('SELECT carmi, status FROM carmis WHERE id = ?', array($o['carmi_id']))->fetch() : false;
$refundLabels = array('approved' => '已同意', 'paying_out' => '原路退回中', 'refunding' => '原路退回中',
    'refunded' => '已退款', 'rejected' => '已驳回', 'cancelled' => '已撤销', 'submitted' => '处理中');
page_start('订单 ' . $o['order_sn']);
echo '<dl class="order">',
    '<dt>商品</dt><dd>', h($o['title']), '</dd>',
    '<dt>金额</dt><dd>¥', h($o['actual_price']), '</dd>',
    '<dt>状态</dt><dd id="status">', (int)$o['status'] === ORDER_COMPLETED ? '已支付' : '待支付', '</dd>';
if ($o['refund_state'] !== null) {
    $l = isset($refundLabels[$o['refund_state']]) ? $refundLabels[$o['refund_state']] : $o['refund_state'];
    echo '<dt>退款</dt><dd id="refund-state" data-state="', h($o['refund_state']), '">', h($l), '</dd>';
}
echo '</dl>';
$topup = (int)$o['status'] === ORDER_COMPLETED ? upstream_topup($o['id']) : false;
if ($topup) {
    // 直充: the account and what the mock upstream says, with the demo's
    // buttons that play the supplier (a real shop has no such buttons).
    $labels = array('pending' => '充值中（上游处理中）', 'arrived' => '已到账', 'failed' => '充值失败');
    echo '<dl class="order"><dt>充值账号</dt><dd>', h($o['account']), '</dd>',
        '<dt>上游</dt><dd id="upstream-state" data-state="', h($topup['state']), '">', h($labels[$topup['state']]), '</dd></dl>',
        '<form method="post" action="/upstream.php" class="demo">', csrf_field(),
        '<input type="hidden" name="sn" value="', h($o['order_sn']), '">',
        '<small class="muted">演示：扮演上游供货商</small> ',
        '<button name="state" value="arrived" class="secondary">上游：到账</button> ',
        '<button name="state" value="failed" class="secondary">上游：失败</button> ',
        '<button name="state" value="pending" class="secondary">上游：处理中</button></form>';
}
if ($topup) {
    echo '<form method="post" action="/refund.php">', csrf_field(),
        '<input type="hidden" name="sn" value="', h($o['order_sn']), '">',
        '<button class="secondary">申请退款</button></form>';
} elseif ((int)$o['status'] === ORDER_COMPLETED) {
    if (!$key) {
        echo '<p class="muted">库存不足，暂未发货。可申请退款。</p>';
    } elseif ($o['refund_state'] === null && $o['revealed_at'] === null) {
        echo '<form method="post" action="/reveal.php">', csrf_field(),
            '<input type="hidden" name="sn" value="', h($o['order_sn']), '">',
            '<button>查看卡密</button> <small class="muted">查看后不支持"不想要了"退款</small></form>';
    } elseif ($o['refund_state'] === null) {
        echo '<p>卡密：<code id="carmi">', h($key['carmi']), '</code></p>';
    }
    echo '<form method="post" action="/refund.php">', csrf_field(),
        '<input type="hidden" name="sn" value="', h($o['order_sn']), '">',
        '<button class="secondary">申请退款</button></form>';
}
page_end();
