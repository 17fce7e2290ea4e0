#!/usr/bin/env python3
"""Byte and char arrays in a heap dump, by length, and what holds them.

The class histogram says how many bytes byte[] and char[] take; this says which buffers they are. Usage:

  heap-arrays.py DUMP [--per N]                 the array lengths with the most bytes; --per N also divides by N
                                                (the streams in flight when the dump was taken)
  heap-arrays.py DUMP --owners byte:20480 [--levels 2]
                                                the classes whose instances (or arrays) refer to the arrays of that
                                                type and length, and (--levels) what refers to those
  heap-arrays.py DUMP --owners java.util.concurrent.locks.ReentrantLock [--levels 2]
                                                the same for the instances of a class
  heap-arrays.py DUMP --stack-chunks             the heap chunks that hold parked virtual threads' frames: their size
                                                against what their frames use, and the commonest chains of them (one
                                                chain per thread, from its top frames' chunk down to its first)

Take the dump with `jcmd <pid> GC.heap_dump FILE` (live objects only) while the streams are open, e.g. during
stream-memory.sh. Only the JDK's standard library is used; a 150 MB dump takes seconds. Written here because the
dump tools that answer this (Eclipse MAT, VisualVM) need a desktop or a large download.
"""
import argparse
import collections
import mmap
import struct

PRIMITIVE_NAMES = {4: 'boolean', 5: 'char', 6: 'float', 7: 'double', 8: 'byte', 9: 'short', 10: 'int', 11: 'long'}
TYPE_CODES = {'byte': 8, 'char': 5}


class Dump:
    def __init__(self, path):
        self.file = open(path, 'rb')
        self.m = mmap.mmap(self.file.fileno(), 0, access=mmap.ACCESS_READ)
        end = self.m.find(b'\0')  # "JAVA PROFILE 1.0.2\0", identifier size, timestamp
        self.idsz = struct.unpack('>I', self.m[end + 1:end + 5])[0]
        self.start = end + 1 + 4 + 8
        self.idfmt = '>Q' if self.idsz == 8 else '>I'
        self.sizes = {2: self.idsz, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
        self.strings, self.class_name_ids = {}, {}
        self.instance_fields, self.super_ids = {}, {}  # class id → [(name id, type)], class id → superclass id

    def u4(self, p):
        return struct.unpack_from('>I', self.m, p)[0]

    def ident(self, p):
        return struct.unpack_from(self.idfmt, self.m, p)[0]

    def class_name(self, class_id):
        return self.strings.get(self.class_name_ids.get(class_id), str(class_id)).replace('/', '.')

    def walk(self, visit):
        """Calls visit(kind, object id, class id or (type, length), data offset, data length) for every object."""
        m, idsz, pos, n = self.m, self.idsz, self.start, len(self.m)
        while pos < n:
            tag, length = m[pos], self.u4(pos + 5)
            body = pos + 9
            pos = body + length
            if tag == 0x01:  # UTF8 string
                self.strings[self.ident(body)] = m[body + idsz:body + length].decode('utf8', 'replace')
            elif tag == 0x02:  # LOAD CLASS: serial, class id, stack serial, name id
                self.class_name_ids[self.ident(body + 4)] = self.ident(body + 4 + idsz + 4)
            elif tag in (0x0c, 0x1c):  # HEAP DUMP (SEGMENT)
                self._walk_segment(body, body + length, visit)

    def walk_instances(self, class_name, visit):
        """Calls visit(object id, class id, data offset) for every instance of the class (two passes: class names
        and layouts come from records that may follow the instances)."""
        self.walk(lambda kind, oid, what, data, size: None)
        self.walk(lambda kind, oid, what, data, size: visit(oid, what, data)
                  if kind == 'instance' and self.class_name(what) == class_name else None)

    def _walk_segment(self, p, end, visit):
        m, idsz, sizes = self.m, self.idsz, self.sizes
        while p < end:
            sub = m[p]
            p += 1
            if sub in (0xff, 0x05, 0x07):  # roots with an id only
                p += idsz
            elif sub == 0x01:
                p += 2 * idsz
            elif sub in (0x02, 0x03, 0x08):
                p += idsz + 8
            elif sub in (0x04, 0x06):
                p += idsz + 4
            elif sub == 0x20:  # CLASS DUMP: ids, then the constant pool, static fields and instance fields
                class_id, super_id = self.ident(p), self.ident(p + idsz + 4)
                p += idsz + 4 + 6 * idsz + 4
                count = struct.unpack_from('>H', m, p)[0]
                p += 2
                for _ in range(count):  # index, type, value
                    p += 2
                    p += 1 + sizes[m[p]]
                count = struct.unpack_from('>H', m, p)[0]
                p += 2
                for _ in range(count):  # name, type, value
                    p += idsz
                    p += 1 + sizes[m[p]]
                count = struct.unpack_from('>H', m, p)[0]
                p += 2
                self.super_ids[class_id] = super_id
                self.instance_fields[class_id] = [(self.ident(p + i * (idsz + 1)), m[p + i * (idsz + 1) + idsz]) for i in range(count)]
                p += count * (idsz + 1)  # name, type
            elif sub == 0x21:  # INSTANCE DUMP
                oid, cid, k = self.ident(p), self.ident(p + idsz + 4), self.u4(p + 2 * idsz + 4)
                data = p + 2 * idsz + 8
                visit('instance', oid, cid, data, k)
                p = data + k
            elif sub == 0x22:  # OBJECT ARRAY DUMP
                oid, k, cid = self.ident(p), self.u4(p + idsz + 4), self.ident(p + idsz + 8)
                data = p + 2 * idsz + 8
                visit('array', oid, cid, data, k * idsz)
                p = data + k * idsz
            elif sub == 0x23:  # PRIMITIVE ARRAY DUMP
                oid, k, t = self.ident(p), self.u4(p + idsz + 4), m[p + idsz + 8]
                visit('primitive', oid, (t, k), p + idsz + 9, k * sizes[t])
                p += idsz + 9 + k * sizes[t]
            else:
                raise SystemExit('unknown heap dump record 0x%x at offset %d' % (sub, p))


def lengths(dump, per):
    counts = collections.Counter()
    dump.walk(lambda kind, oid, what, data, size: counts.update([what]) if kind == 'primitive' and what[0] in (5, 8) else None)
    rows = sorted(counts.items(), key=lambda kv: -kv[1] * kv[0][1] * dump.sizes[kv[0][0]])
    for (t, length), count in rows[:30]:
        total = count * length * dump.sizes[t]
        line = '%-5s[%8d] x %8d = %10.1f KB' % (PRIMITIVE_NAMES[t], length, count, total / 1024)
        print(line + ('   %7.2f KB per stream' % (total / 1024 / per) if per else ''))


def owners(dump, spec, levels):
    targets = set()
    if ':' in spec:  # byte:20480 — arrays of that type and length
        name, length = spec.split(':')
        wanted = (TYPE_CODES[name], int(length))
        dump.walk(lambda kind, oid, what, data, size: targets.add(oid) if kind == 'primitive' and what == wanted else None)
    else:  # a class name — its instances
        dump.walk_instances(spec, lambda oid, class_id, data: targets.add(oid))
    print('%d %s' % (len(targets), spec))
    m, idsz = dump.m, dump.idsz
    for level in range(1, levels + 1):
        needles = {struct.pack(dump.idfmt, t) for t in targets}
        holders, found = collections.Counter(), set()

        def visit(kind, oid, cid, data, size):
            if kind == 'primitive':
                return
            # instance fields are packed without alignment, so a reference can start at any byte
            step = 1 if kind == 'instance' else idsz
            for off in range(0, size - idsz + 1, step):
                if m[data + off:data + off + idsz] in needles:
                    holders[(kind, cid)] += 1
                    found.add(oid)
        dump.walk(visit)
        print('held by (level %d):' % level)
        for (kind, cid), count in holders.most_common(12):
            print('  %8d  %s%s' % (count, dump.class_name(cid), '[]' if kind == 'array' else ''))
        targets = found


def fields(dump, class_id, data):
    """An instance's fields by name (references as ids), from its class's layout and its superclasses'."""
    values, offset = {}, data
    while class_id:
        for name_id, kind in dump.instance_fields.get(class_id, []):
            size = dump.sizes[kind]
            if kind == 2:
                values[dump.strings.get(name_id)] = dump.ident(offset)
            elif size in (4, 8):
                values[dump.strings.get(name_id)] = struct.unpack_from('>i' if size == 4 else '>q', dump.m, offset)[0]
            offset += size
        class_id = dump.super_ids.get(class_id)
    return values


def stack_chunks(dump):
    """A parked virtual thread keeps its frames in StackChunk objects: size and sp are in words, frames use size - sp."""
    chunks = {}
    dump.walk_instances('jdk.internal.vm.StackChunk',
                        lambda oid, class_id, data: chunks.__setitem__(oid, fields(dump, class_id, data)))
    total = sum(c['size'] for c in chunks.values()) * dump.idsz
    used = sum(c['size'] - c['sp'] for c in chunks.values()) * dump.idsz
    print('%d chunks: %.1f KB, of which frames use %.1f KB' % (len(chunks), total / 1024, used / 1024))
    parents = {c['parent'] for c in chunks.values()}
    chains = collections.Counter()
    for tail in (oid for oid in chunks if oid not in parents):
        links, oid = [], tail
        while oid in chunks:
            c = chunks[oid]
            links.append('%.1f/%.1f' % (c['size'] * dump.idsz / 1024, (c['size'] - c['sp']) * dump.idsz / 1024))
            oid = c['parent']
        chains[' -> '.join(links)] += 1
    print('chains (KB size/used per chunk, the top frames first), the commonest:')
    for chain, count in chains.most_common(8):
        print('  %6d  %s' % (count, chain))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('dump')
    parser.add_argument('--per', type=int, default=0)
    parser.add_argument('--owners')
    parser.add_argument('--levels', type=int, default=1)
    parser.add_argument('--stack-chunks', action='store_true')
    args = parser.parse_args()
    dump = Dump(args.dump)
    if args.stack_chunks:
        stack_chunks(dump)
    elif args.owners:
        owners(dump, args.owners, args.levels)
    else:
        lengths(dump, args.per)


if __name__ == '__main__':
    main()
