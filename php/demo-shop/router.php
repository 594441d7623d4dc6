<?php
// router.php: for `php -S 127.0.0.1:PORT -t php/demo-shop router.php`. Pages
// are plain .php files served as they are; lib/, config.php and setup.php
// are never served (on Apache/nginx deny them the same way).
// Not parse_url(): it reads "//lib/x" as a host. php -S decodes %xx when it
// maps the path to a file, so the check does too.
$path = rawurldecode(explode('?', $_SERVER['REQUEST_URI'], 2)[0]);
if (preg_match('#(^|/)(lib|config\.php|setup\.php|router\.php|\.+)(/|$)#', $path)) {
    http_response_code(404);
    header('Content-Type: text/plain; charset=utf-8');
    echo "not found\n";
    return true;
}
return false;
