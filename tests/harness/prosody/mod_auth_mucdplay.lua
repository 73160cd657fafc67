-- mod_auth_mucdplay.lua - Prosody authentication for tests/play.sh and
-- the real-client tests: any user name logs in, all with one password
-- (option mucdplay_password, default "mucd").
--
-- Unlike Prosody's "insecure" module, which accepts any password but
-- can only offer PLAIN, this one knows the password, so Prosody's SASL
-- offers SCRAM-SHA-1 and SCRAM-SHA-256 too: what slixmpp-based clients
-- such as poezio, and most others, pick by default.  Loopback test
-- servers only.

local new_sasl = require "util.sasl".new;

local password = module:get_option_string("mucdplay_password", "mucd");
local provider = {};

function provider.test_password(_, pw)
	return pw == password;
end

function provider.get_password()
	return password;
end

function provider.set_password()
	return nil, "every account has the same fixed password";
end

function provider.user_exists()
	return true;
end

function provider.users()
	return function() return nil; end;
end

function provider.create_user()
	return nil, "accounts need not be created";
end

function provider.delete_user()
	return nil, "accounts cannot be deleted";
end

function provider.get_sasl_handler()
	return new_sasl(module.host, {
		plain = function() return password, true; end;
	});
end

module:provides("auth", provider);
