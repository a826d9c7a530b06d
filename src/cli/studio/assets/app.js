// Placeholder: the page's script is written with the browser tests.
"use strict";
