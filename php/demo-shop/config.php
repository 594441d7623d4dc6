<?php
// config.php: the demo shop's settings. scripts/demo and tests/php/run.sh
// pass them as environment variables; on a panel, write the values here.
$env = function ($name, $default = '') {
    $v = getenv($name);
    return $v === false || $v === '' ? $default : $v;
};
return array(
    // This shop's own address (the mock 易支付 sends the buyer back here).
    'url' => rtrim($env('SHOP_URL', 'http://127.0.0.1:8090'), '/'),
    // MariaDB/MySQL: a socket, or host and port.
    'db' => array(
        'socket' => $env('SHOP_DB_SOCKET'),
        'host' => $env('SHOP_DB_HOST', '127.0.0.1'),
        'port' => (int)$env('SHOP_DB_PORT', '3306'),
        'user' => $env('SHOP_DB_USER', 'root'),
        'password' => $env('SHOP_DB_PASSWORD'),
        'name' => $env('SHOP_DB_NAME', 'demo_shop'),
    ),
    // refund-desk: where it is mounted, the storefront API secret, webhook.secret.
    'desk_url' => $env('SHOP_DESK_URL', 'http://127.0.0.1:8080'),
    'desk_secret' => $env('SHOP_DESK_SECRET'),
    'webhook_secret' => $env('SHOP_WEBHOOK_SECRET'),
    // The mock 易支付 merchant: pid and key (md5 signing).
    'pay_pid' => $env('SHOP_PAY_PID', '1001'),
    'pay_key' => $env('SHOP_PAY_KEY'),
    // The supplier of the 直充 goods (lib/upstream.php). supplier_id: its
    // name in the desk's config `suppliers` (empty: orders go without
    // `upstream`, no claims). When the supplier runs refund-desk too
    // (scripts/demo's second desk): its URL, its storefront API secret (the
    // mock upstream plays that storefront) and the buyer id this shop's
    // api-client acts as there (`refund-desk api-client add --buyer ID`).
    'supplier_id' => $env('SHOP_SUPPLIER'),
    'supplier_desk_url' => $env('SHOP_SUPPLIER_DESK_URL'),
    'supplier_desk_secret' => $env('SHOP_SUPPLIER_DESK_SECRET'),
    'supplier_buyer' => $env('SHOP_SUPPLIER_BUYER'),
    // Keys the CSRF tokens and the buyer cookie.
    'secret' => $env('SHOP_SECRET', $env('SHOP_PAY_KEY')),
);
