-- The "shop" test database for SQLite. Keep in step with shop_postgres.sql (SQLite has no comments).
CREATE TABLE customer (
  customer_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  city TEXT
);
CREATE TABLE product (
  product_id INTEGER PRIMARY KEY,
  title VARCHAR(64) NOT NULL,
  price NUMERIC(8,2) NOT NULL
);
CREATE TABLE orders (
  order_id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customer(customer_id),
  ordered_on DATE NOT NULL
);
CREATE TABLE order_line (
  order_id INTEGER NOT NULL REFERENCES orders(order_id),
  product_id INTEGER NOT NULL REFERENCES product,
  quantity INTEGER NOT NULL,
  PRIMARY KEY (order_id, product_id)
);
INSERT INTO customer VALUES (1, 'Ada', 'London'), (2, 'Bo', NULL), (3, 'Chen', 'Hangzhou'), (4, 'Dana', 'Berlin');
INSERT INTO product VALUES (10, 'Kettle', 25.50), (11, 'Teapot', 12.00), (12, 'Mug', 4.25);
INSERT INTO orders VALUES (100, 1, '2024-01-05'), (101, 3, '2024-02-11'), (102, 1, '2024-03-20');
INSERT INTO order_line VALUES (100, 10, 1), (100, 12, 4), (101, 11, 2), (102, 12, 6);
