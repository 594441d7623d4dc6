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
if ((int)$o['status'] === ORDER_COMPLETED) {
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
