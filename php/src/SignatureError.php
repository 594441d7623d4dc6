<?php
// Composer's PSR-4 autoloader looks for RefundDesk\SignatureError here; the classes all
// live in the one file storefronts copy (../RefundDesk.php), so it is loaded
// once, whichever class is asked for first.
require_once __DIR__ . '/../RefundDesk.php';
