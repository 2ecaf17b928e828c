import { describe, expectTypeOf, it } from 'vitest';
import { GenServer, Registry, Runtime, type Pid, type Via } from 'ts-otp';

const rt = new Runtime();

describe('Registry types', () => {
  it('types entries, values and keys from the reference', () => {
    const rooms = Registry.named<string, { readonly topic: string }>('rooms', rt);
    expectTypeOf(Registry.lookup(rooms, 'lobby')).toEqualTypeOf<Array<Registry.RegistryEntry<{ readonly topic: string }>>>();
    expectTypeOf(Registry.values(rooms, 'lobby', '<0.1.0>' as Pid)).toEqualTypeOf<Array<{ readonly topic: string }>>();
    expectTypeOf(Registry.keys(rooms, '<0.1.0>' as Pid)).toEqualTypeOf<string[]>();
    // @ts-expect-error a key of the wrong type
    Registry.lookup(rooms, 42);
  });

  it('makes via names that GenServer accepts, typed through GenServer.named', () => {
    interface Hello { state: null; call: { readonly type: 'hi' }; reply: { hi: string } }
    const name = Registry.via(Registry.named<string, null>('names', rt), 'greeter');
    expectTypeOf(name).toMatchTypeOf<Via>();
    expectTypeOf(GenServer.call(GenServer.named<Hello>(name), { type: 'hi' })).toEqualTypeOf<Promise<string>>();
    expectTypeOf<GenServer.StartOptions['name']>().toEqualTypeOf<string | Via | undefined>();
  });
});
