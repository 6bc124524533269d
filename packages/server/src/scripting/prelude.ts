/**
 * The Lua side of the sandbox, run once in every new Lua state before it is locked
 * (lua-state.ts). It gives fengari's Lua 5.3 the Lua 5.1 names Redis scripts use, Redis's
 * pcall (which turns a `{err=...}` error into its message), Lua 5.1's number formatting in
 * `tostring` and `string.format`, and Redis's error handler, which records where an error was
 * raised (eval.c's `__redis__err__handler`). `debug` is removed once the handler holds it.
 */

export const PRELUDE_LUA = `
local rawtostring = tostring
local rawformat = string.format
local rawpcall = pcall
local rawtype = type
local rawselect = select
local floor, ceil = math.floor, math.ceil

_VERSION = "Lua 5.1"
unpack = table.unpack
loadstring = load
gcinfo = function() return floor(collectgarbage('count')) end
math.pow = function(x, y) return x ^ y end
math.mod = math.fmod
math.ldexp = function(m, e) return m * 2.0 ^ e end
math.log10 = function(x) return math.log(x, 10) end
math.cosh = function(x) return (math.exp(x) + math.exp(-x)) / 2 end
math.sinh = function(x) return (math.exp(x) - math.exp(-x)) / 2 end
math.tanh = function(x) local a, b = math.exp(x), math.exp(-x) return (a - b) / (a + b) end
math.frexp = function(x)
  if x == 0 or x ~= x or x == math.huge or x == -math.huge then return x, 0 end
  local e = floor(math.log(math.abs(x), 2)) + 1
  local m = x / 2.0 ^ e
  if math.abs(m) >= 1 then m = m / 2; e = e + 1 elseif math.abs(m) < 0.5 then m = m * 2; e = e - 1 end
  return m, e
end
table.getn = function(t) return #t end
table.setn = function() error("'setn' is obsolete", 2) end
table.maxn = function(t)
  local max = 0
  for k in pairs(t) do if rawtype(k) == 'number' and k > max then max = k end end
  return max
end
table.foreach = function(t, f)
  for k, v in pairs(t) do local r = f(k, v) if r ~= nil then return r end end
end
table.foreachi = function(t, f)
  for i = 1, #t do local r = f(i, t[i]) if r ~= nil then return r end end
end
string.gfind = string.gmatch
dofile = nil
loadfile = nil
print = nil
rawlen = nil
require = nil

tostring = function(...)
  if rawselect('#', ...) == 0 then error("bad argument #1 to 'tostring' (value expected)", 2) end
  local v = ...
  if rawtype(v) == 'number' then return v .. '' end
  return rawtostring(v)
end

-- Lua 5.1 formats %s through tostring and casts the argument of %d %i %c %o %u %x %X to an
-- integer (truncation); Lua 5.3 refuses a number with a fraction there.
local function trunc(n)
  if n ~= n or n == math.huge or n == -math.huge then return n end
  if n >= 0 then return floor(n) else return ceil(n) end
end
string.format = function(fmt, ...)
  local args = { ... }
  local n = rawselect('#', ...)
  if rawtype(fmt) == 'string' then
    local i, arg = 1, 0
    while true do
      local s, e, spec = fmt:find('%%[-+ #0]*%d*%.?%d*([%a%%])', i)
      if not s then break end
      if spec ~= '%' then
        arg = arg + 1
        local v = args[arg]
        if spec == 's' and rawtype(v) == 'number' then
          args[arg] = v .. ''
        elseif (spec == 'd' or spec == 'i' or spec == 'c' or spec == 'o' or spec == 'u'
            or spec == 'x' or spec == 'X') and rawtype(v) == 'number' then
          args[arg] = trunc(v)
        end
      end
      i = e + 1
    end
  end
  return rawformat(fmt, table.unpack(args, 1, n))
end

-- Lua 5.3 words runtime errors as "attempt to call a nil value (global 'f')"; Lua 5.1 as
-- "attempt to call global 'f' (a nil value)". Scripts and clients see the 5.1 wording.
local function fix51(s)
  if rawtype(s) ~= 'string' then return s end
  return (s:gsub("attempt to ([%a ]-) an? (%a+) value %((%a+) '([^']*)'%)", "attempt to %1 %3 '%4' (a %2 value)"))
end

local function pcallresult(ok, ...)
  if ok then return ok, ... end
  local e = fix51((...))
  if rawtype(e) == 'table' then
    local m = e.err
    if rawtype(m) == 'string' or rawtype(m) == 'number' then return false, m end
  end
  return false, e
end
pcall = function(...) return pcallresult(rawpcall(...)) end

local dbg = debug
debug = nil
function __redis__err__handler(err)
  -- Redis reports the caller of a C function (error, redis.call); here JavaScript functions
  -- ('J') and this sandbox's own Lua helpers (=prelude, =lock) are skipped the same way.
  local level = 2
  local i = dbg.getinfo(level, 'nSl')
  while i and (i.what == 'C' or i.what == 'J' or i.source == '=prelude' or i.source == '=lock') do
    level = level + 1
    i = dbg.getinfo(level, 'nSl')
  end
  if rawtype(err) ~= 'table' then
    err = { err = 'ERR ' .. tostring(fix51(err)) }
  end
  if i then
    err['source'] = i.source
    err['line'] = i.currentline
  end
  return err
end

-- The body of every script's coroutine (engine.ts): the script under Redis's error handler.
-- xpcall is yieldable in Lua 5.3, so a script past busy-reply-threshold can yield from its count
-- hook back to the event loop.
local rawxpcall = xpcall
return function(f, ...)
  return rawxpcall(f, __redis__err__handler, ...)
end
`;

/**
 * Locks the globals and the library tables as Redis 7.0's readonly tables do: writing any of them
 * raises `Attempt to modify a readonly table`, reading a missing global raises `Script attempted
 * to access nonexistent global variable '<name>'`. Lua 5.3 has no readonly tables, so each table's
 * contents move to a hidden table and the visible one becomes an empty proxy whose metatable
 * reads through (`__index`), refuses writes (`__newindex`) and iterates the hidden contents
 * (`__pairs`). The chunk returns a setter for the hidden globals (EVAL's KEYS and ARGV) and
 * one that swaps the visible globals for another table (FUNCTION LOAD's library API), or back.
 */
export const LOCK_LUA = `
local rawpairs, rawnext, rawset, rawget, setmetatable, rawtype, error, tostring =
  pairs, next, rawset, rawget, setmetatable, type, error, tostring
local function readonly() error('Attempt to modify a readonly table', 2) end
local function lock(t, makeindex)
  local hidden = {}
  for k, v in rawpairs(t) do hidden[k] = v end
  for k in rawpairs(hidden) do rawset(t, k, nil) end
  setmetatable(t, {
    __index = makeindex and makeindex(hidden) or hidden,
    __newindex = readonly,
    __pairs = function() return rawnext, hidden, nil end,
    __metatable = false,
  })
  return hidden
end
local G = _G
local libs = { 'string', 'math', 'table', 'coroutine', 'redis', 'bit', 'cjson', 'struct', 'cmsgpack' }
for _, name in rawpairs(libs) do
  local lib = rawget(G, name)
  if rawtype(lib) == 'table' then lock(lib) end
end
-- view: the globals a function library sees while FUNCTION LOAD runs it (nil: the real ones).
local view
local hidden = lock(G, function(hidden)
  return function(_, k)
    local v
    if view then v = rawget(view, k) else v = hidden[k] end
    if v == nil then
      error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
    end
    return v
  end
end)
return function(k, v) hidden[k] = v end, function(t) view = t end
`;
