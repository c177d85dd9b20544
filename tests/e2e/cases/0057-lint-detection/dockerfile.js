/*---------------------------------------------------------------------------------------------
 *  Copyright (c) Microsoft Corporation. All rights reserved.
 *--------------------------------------------------------------------------------------------*/
define("vs/basic-languages/dockerfile/dockerfile", ["require", "exports"], function (require, exports) {
    var conf = { brackets: [['{', '}']] };
});
