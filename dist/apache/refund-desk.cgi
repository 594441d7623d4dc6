#!/bin/sh
# refund-desk.cgi: plain CGI entry (htaccess-cgi, htaccess-multipart-cgi).
# Replace the two paths; the config is named here so nothing depends on the
# environment the server passes (suEXEC passes almost none).
exec "@APP_BIN@" --config "@CONFIG@"
