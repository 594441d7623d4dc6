<?php
// index.php: the goods with their stock, and the buy form.
require __DIR__ . '/lib/shop.php';

$goods = q('SELECT g.*, (SELECT COUNT(*) FROM carmis c WHERE c.goods_id = g.id AND c.status = ?) AS stock
            FROM goods g WHERE g.is_open = 1 ORDER BY g.id', array(CARMI_UNSOLD))->fetchAll();
page_start('全部商品');
foreach ($goods as $g) {
    echo '<section class="card" id="goods-', (int)$g['id'], '"><h2>', h($g['gd_name']), '</h2>',
        '<p>', h($g['gd_description']), '</p>',
        '<p class="price">¥', h($g['actual_price']), $g['category'] === 'direct_topup'
            ? ' <span class="stock">直充（上游供货）</span></p>'
            : ' <span class="stock">库存 <b>' . (int)$g['stock'] . '</b></span></p>';
    $topup = $g['category'] === 'direct_topup';
    if ($topup || (int)$g['stock'] > 0) {
        echo '<form method="post" action="/buy.php">', csrf_field(),
            '<input type="hidden" name="goods_id" value="', (int)$g['id'], '">',
            $topup ? '<label>游戏账号（直充到此账号）<input name="account" required minlength="4" maxlength="32" pattern="[A-Za-z0-9_@.\-]{4,32}"></label>' : '',
            '<label>邮箱（查单用）<input type="email" name="email" required maxlength="120" autocomplete="email"></label>',
            '<label>支付方式 <select name="pay_type"><option value="alipay">支付宝</option><option value="wxpay">微信支付</option></select></label>',
            '<button>立即购买</button></form>';
    } else {
        echo '<p class="muted">已售罄</p>';
    }
    echo '</section>';
}
page_end();
