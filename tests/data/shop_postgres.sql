-- The "shop" test database for PostgreSQL. Keep in step with shop_mysql.sql and shop_sqlite.sql:
-- the introspection test expects the same tables, keys and example values from all three.
CREATE TABLE customer (
  customer_id integer PRIMARY KEY,
  name text NOT NULL,
  city text
);
COMMENT ON TABLE customer IS 'People who buy';
COMMENT ON COLUMN customer.city IS 'City of residence';
CREATE TABLE product (
  product_id integer PRIMARY KEY,
  title varchar(64) NOT NULL,
  price numeric(8,2) NOT NULL
);
CREATE TABLE orders (
  order_id integer PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES customer(customer_id),
  ordered_on date NOT NULL
);
CREATE TABLE order_line (
  order_id integer NOT NULL REFERENCES orders(order_id),
  product_id integer NOT NULL REFERENCES product(product_id),
  quantity integer NOT NULL,
  PRIMARY KEY (order_id, product_id)
);
-- nextval() writes without any modifying keyword: the executor's read-only test uses it.
CREATE SEQUENCE order_number;
INSERT INTO customer VALUES (1, 'Ada', 'London'), (2, 'Bo', NULL), (3, 'Chen', 'Hangzhou'), (4, 'Dana', 'Berlin');
INSERT INTO product VALUES (10, 'Kettle', 25.50), (11, 'Teapot', 12.00), (12, 'Mug', 4.25);
INSERT INTO orders VALUES (100, 1, '2024-01-05'), (101, 3, '2024-02-11'), (102, 1, '2024-03-20');
INSERT INTO order_line VALUES (100, 10, 1), (100, 12, 4), (101, 11, 2), (102, 12, 6);
